import type { Request } from 'express';
import type { Store, User } from '@tributary/store';
import { HttpError } from '../http/errors.ts';
import { roleAllows, type Access } from './roles.ts';
import { lookupSession, readCookie, SESSION_COOKIE } from './sessions.ts';
import { API_TOKEN_PREFIX, csrfTokenFor, safeEqual, sha256Hex } from './tokens.ts';

/** Who is calling: a signed-in user (cookie session) or automation (API token on the user's behalf). */
export interface Principal {
  user: User;
  via: 'session' | 'token';
  /** Session id (hash of the cookie value) for `via: 'session'`. */
  sessionId: string | null;
  /** Only for deriving the CSRF token; never logged or returned. */
  sessionToken: string | null;
  tokenId: string | null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';

/** The principal of a request, or null when it carries no valid credentials. */
export async function identify(store: Store, req: Request): Promise<Principal | null> {
  const authz = req.get('authorization');
  if (authz !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(authz.trim());
    if (!m || !m[1]!.startsWith(API_TOKEN_PREFIX)) return null;
    const token = await store.getApiTokenByHash(sha256Hex(m[1]!));
    if (!token || token.revokedAt) return null;
    const user = await store.getUser(token.userId);
    if (!user || user.disabled) return null;
    if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > 60_000) await store.touchApiToken(token.id);
    return { user, via: 'token', sessionId: null, sessionToken: null, tokenId: token.id };
  }
  const cookie = readCookie(req, SESSION_COOKIE);
  if (!cookie) return null;
  const found = await lookupSession(store, cookie);
  if (!found.ok) return null;
  return { user: found.user, via: 'session', sessionId: found.session.id, sessionToken: cookie, tokenId: null };
}

/**
 * Enforces a route's access rule: 401 without credentials, 403 for a role below the route's, and
 * 403 CSRF_INVALID for a cookie-authenticated write without the session's CSRF token. API tokens
 * are not sent by browsers on their own, so they need no CSRF token.
 */
export function authorize(principal: Principal | null, access: Access, req: Request): void {
  if (access === 'public') return;
  if (!principal) throw new HttpError('UNAUTHENTICATED', 'sign in first (session cookie or Authorization: Bearer trb_… API token)');
  if (!roleAllows(principal.user.role, access)) {
    throw new HttpError('FORBIDDEN', `this needs the ${access} role; your role is ${principal.user.role}`, { required: access, role: principal.user.role });
  }
  checkCsrf(principal, req);
}

export function checkCsrf(principal: Principal, req: Request): void {
  if (principal.via !== 'session' || SAFE_METHODS.has(req.method)) return;
  const sent = req.get(CSRF_HEADER);
  if (!sent || !principal.sessionToken || !safeEqual(sent, csrfTokenFor(principal.sessionToken))) {
    throw new HttpError('CSRF_INVALID', `send the session's CSRF token in the ${CSRF_HEADER} header (from /api/v1/auth/login or /api/v1/auth/me)`);
  }
}
