import type { Request, Response } from 'express';
import type { Session, Store, User } from '@tributary/store';
import { csrfTokenFor, randomToken, sha256Hex } from './tokens.ts';

export const SESSION_COOKIE = 'trb_session';
/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** …and this long after sign-in, whatever happens. */
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
/** `lastSeenAt` is written at most this often per session. */
const TOUCH_EVERY_MS = 60 * 1000;

/** Cookies are Secure when this request came over TLS (directly or via a trusted proxy) or the public URL is https. */
export function cookieIsSecure(req: Request, publicUrl: string | undefined): boolean {
  return req.secure || (publicUrl !== undefined && publicUrl.startsWith('https:'));
}

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export interface NewSession {
  token: string;
  session: Session;
  csrfToken: string;
}

/** Creates a session row (keyed by the hash of the cookie value) and sets the cookie. */
export async function startSession(opts: { store: Store; user: User; req: Request; res: Response; publicUrl: string | undefined; now?: Date }): Promise<NewSession> {
  const token = randomToken(32);
  const now = opts.now ?? new Date();
  const session = await opts.store.createSession({
    id: sha256Hex(token),
    userId: opts.user.id,
    expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
    ip: opts.req.ip ?? null,
    userAgent: opts.req.get('user-agent')?.slice(0, 500) ?? null,
  });
  opts.res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: cookieIsSecure(opts.req, opts.publicUrl),
    path: '/',
    maxAge: SESSION_ABSOLUTE_MS,
  });
  return { token, session, csrfToken: csrfTokenFor(token) };
}

export function clearSessionCookie(req: Request, res: Response, publicUrl: string | undefined): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: cookieIsSecure(req, publicUrl), path: '/' });
}

/** Why a session does not count: shown to nobody, but logged at debug and used by tests. */
export type SessionProblem = 'unknown' | 'revoked' | 'expired' | 'idle' | 'user-disabled';

/** The live session and its user for a cookie value, touching `lastSeenAt`; or why there is none. */
export async function lookupSession(store: Store, token: string, now = new Date()): Promise<{ ok: true; session: Session; user: User } | { ok: false; problem: SessionProblem }> {
  const session = await store.getSession(sha256Hex(token));
  if (!session) return { ok: false, problem: 'unknown' };
  if (session.revokedAt) return { ok: false, problem: 'revoked' };
  if (session.expiresAt.getTime() <= now.getTime()) return { ok: false, problem: 'expired' };
  const seen = session.lastSeenAt ?? session.createdAt;
  if (now.getTime() - seen.getTime() >= SESSION_IDLE_MS) return { ok: false, problem: 'idle' };
  const user = await store.getUser(session.userId);
  if (!user || user.disabled) return { ok: false, problem: 'user-disabled' };
  if (now.getTime() - seen.getTime() >= TOUCH_EVERY_MS) await store.touchSession(session.id, now);
  return { ok: true, session, user };
}
