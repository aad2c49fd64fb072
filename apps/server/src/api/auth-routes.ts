import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Principal } from '../auth/authenticate.ts';
import { checkCsrf } from '../auth/authenticate.ts';
import { checkSetupToken, markSetupTokenUsed } from '../auth/first-admin.ts';
import { hashPassword, passwordSchema, verifyAgainstDummy, verifyPassword } from '../auth/passwords.ts';
import { clearSessionCookie, startSession } from '../auth/sessions.ts';
import { csrfTokenFor } from '../auth/tokens.ts';
import { HttpError } from '../http/errors.ts';
import type { Api } from './deps.ts';
import { userJson } from './present.ts';
import type { ApiRoutes } from './route.ts';
import { emailSchema, idSchema, sessionOut } from './schemas.ts';

function rateLimited(res: Response, seconds: number): HttpError {
  res.setHeader('retry-after', String(seconds));
  return new HttpError('RATE_LIMITED', `too many sign-in attempts; try again in ${Math.ceil(seconds / 60)} minute(s)`, { retryAfterSeconds: seconds });
}

function me(principal: Principal, session: { id: string; expiresAt: Date } | null) {
  return {
    user: userJson(principal.user),
    csrfToken: principal.sessionToken ? csrfTokenFor(principal.sessionToken) : null,
    session,
  };
}

/** Sign-in, sign-out, who am I, first-admin setup, and revoking sessions. */
export function authRoutes(r: ApiRoutes, api: Api): void {
  const { store } = api;
  let setupChain: Promise<unknown> = Promise.resolve();

  r.route(
    {
      method: 'post',
      path: '/auth/login',
      auth: 'public',
      summary: 'Sign in with e-mail and password; sets the session cookie and returns the CSRF token',
      body: z.object({ email: z.string().trim().min(1, 'enter your e-mail').max(254), password: z.string().min(1, 'enter your password').max(256) }).strict(),
      response: sessionOut,
      errors: [429],
    },
    async ({ body, req, res }) => {
      const ip = req.ip ?? 'unknown';
      const email = body.email.toLowerCase();
      const wait = Math.max(...(await Promise.all([api.loginByIp.retryAfter(ip), api.loginByEmail.retryAfter(email)])));
      if (wait > 0) throw rateLimited(res, wait);
      const [byIp, byEmail] = await Promise.all([api.loginByIp.hit(ip), api.loginByEmail.hit(email)]);
      if (byIp || byEmail) throw rateLimited(res, Math.max(byIp, byEmail));
      const user = await store.getUserByEmail(email);
      const ok = user && user.passwordHash && !user.disabled ? await verifyPassword(user.passwordHash, body.password) : await verifyAgainstDummy(body.password);
      if (!user || !ok) {
        await api.audit({ req, actor: user?.id ?? 'anonymous', action: 'auth.login_failed', targetType: 'user', ...(user ? { targetId: user.id } : {}), details: { email, reason: !user ? 'unknown-email' : user.disabled ? 'disabled' : 'wrong-password' } });
        throw new HttpError('UNAUTHENTICATED', 'e-mail or password is wrong');
      }
      // Only failed attempts use up the allowance.
      await Promise.all([api.loginByIp.undo(ip), api.loginByEmail.reset(email)]);
      const s = await startSession({ store, user, req, res, publicUrl: api.config.publicUrl });
      await api.audit({ req, actor: user.id, action: 'auth.login', targetType: 'user', targetId: user.id, details: { email: user.email } });
      return { user: userJson(user), csrfToken: s.csrfToken, session: { id: s.session.id, expiresAt: s.session.expiresAt } };
    },
  );

  r.route(
    { method: 'post', path: '/auth/logout', auth: 'public', summary: 'Sign out: revokes this session and clears the cookie' },
    async ({ principal, req, res }) => {
      if (principal?.via === 'session' && principal.sessionId) {
        checkCsrf(principal, req);
        await store.revokeSession(principal.sessionId);
        await api.audit({ req, actor: principal, action: 'auth.logout', targetType: 'user', targetId: principal.user.id });
      }
      clearSessionCookie(req, res, api.config.publicUrl);
      return undefined;
    },
  );

  r.route({ method: 'get', path: '/auth/me', auth: 'viewer', summary: 'The signed-in user and the CSRF token for writes', response: sessionOut }, async ({ principal }) => {
    const session = principal.sessionId ? await store.getSession(principal.sessionId) : null;
    return me(principal, session ? { id: session.id, expiresAt: session.expiresAt } : null);
  });

  r.route(
    {
      method: 'post',
      path: '/auth/password',
      auth: 'viewer',
      summary: 'Change your own password; signs you out everywhere else (a session caller gets a fresh session)',
      body: z.object({ currentPassword: z.string().min(1).max(256), newPassword: passwordSchema }).strict(),
      response: sessionOut,
      errors: [429],
    },
    async ({ body, principal, req, res }) => {
      const user = principal.user;
      const wait = await api.loginByEmail.hit(user.email.toLowerCase());
      if (wait) throw rateLimited(res, wait);
      if (!user.passwordHash || !(await verifyPassword(user.passwordHash, body.currentPassword))) {
        await api.audit({ req, actor: principal, action: 'auth.password_change_failed', targetType: 'user', targetId: user.id });
        throw new HttpError('VALIDATION_FAILED', 'body.currentPassword: not your current password', [{ path: 'body.currentPassword', message: 'not your current password' }]);
      }
      await api.loginByEmail.undo(user.email.toLowerCase());
      const updated = await store.updateUser({ id: user.id, passwordHash: await hashPassword(body.newPassword) });
      const revoked = await store.revokeUserSessions(user.id);
      await api.audit({ req, actor: principal, action: 'auth.password_change', targetType: 'user', targetId: user.id, details: { sessionsRevoked: revoked } });
      if (principal.via !== 'session') return { user: userJson(updated), csrfToken: null, session: null };
      const s = await startSession({ store, user: updated, req, res, publicUrl: api.config.publicUrl });
      return { user: userJson(updated), csrfToken: s.csrfToken, session: { id: s.session.id, expiresAt: s.session.expiresAt } };
    },
  );

  r.route(
    {
      method: 'post',
      path: '/auth/setup',
      auth: 'public',
      summary: 'Create the first admin with the one-time setup token printed on first start; signs them in',
      body: z.object({ token: z.string().min(1).max(200), email: emailSchema, name: z.string().trim().min(1).max(200), password: passwordSchema }).strict(),
      response: sessionOut,
      status: 201,
      errors: [409, 429],
    },
    async ({ body, req, res }) => {
      const ip = req.ip ?? 'unknown';
      const wait = await api.loginByIp.hit(ip);
      if (wait) throw rateLimited(res, wait);
      // One at a time, so two requests with the same token cannot both create an admin.
      const run = setupChain.then(() => setup(api, body, req, res));
      setupChain = run.catch(() => undefined);
      return run;
    },
  );

  r.route(
    { method: 'delete', path: '/sessions/:id', auth: 'viewer', summary: 'Revoke a session: your own, or anyone\'s as an admin', params: z.object({ id: idSchema }), errors: [404] },
    async ({ params, principal, req }) => {
      const session = await store.getSession(params.id);
      if (!session || (session.userId !== principal.user.id && principal.user.role !== 'admin')) throw new HttpError('NOT_FOUND', `no session ${params.id}`);
      await store.revokeSession(session.id);
      await api.audit({ req, actor: principal, action: 'session.revoke', targetType: 'user', targetId: session.userId });
      return undefined;
    },
  );

  r.route(
    {
      method: 'post',
      path: '/sessions/revoke-all',
      auth: 'viewer',
      summary: 'Revoke every session of a user (default: yourself; other users need the admin role)',
      body: z.object({ userId: idSchema.optional() }).strict(),
      response: z.object({ revoked: z.number().int() }),
      errors: [404],
    },
    async ({ body, principal, req }) => {
      const userId = body.userId ?? principal.user.id;
      if (userId !== principal.user.id) {
        if (principal.user.role !== 'admin') throw new HttpError('FORBIDDEN', 'revoking another user\'s sessions needs the admin role', { required: 'admin', role: principal.user.role });
        if (!(await store.getUser(userId))) throw new HttpError('USER_NOT_FOUND', `no user ${userId}`);
      }
      const revoked = await store.revokeUserSessions(userId);
      await api.audit({ req, actor: principal, action: 'session.revoke_all', targetType: 'user', targetId: userId, details: { revoked } });
      return { revoked };
    },
  );
}

async function setup(api: Api, body: { token: string; email: string; name: string; password: string }, req: Request, res: Response) {
  const check = await checkSetupToken(api.store, body.token);
  if (!check.ok) {
    if (check.reason === 'users-exist') throw new HttpError('CONFLICT', 'Tributary is already set up; sign in instead');
    throw new HttpError('SETUP_TOKEN_INVALID', check.reason === 'expired' ? 'the setup link has expired; restart the server for a new one' : check.reason === 'used' ? 'the setup link was already used' : 'the setup link is not valid');
  }
  await markSetupTokenUsed(api.store);
  const user = await api.store.createUser({ email: body.email, name: body.name, role: 'admin', passwordHash: await hashPassword(body.password) });
  await api.audit({ req, actor: user.id, action: 'user.create', targetType: 'user', targetId: user.id, details: { email: user.email, role: user.role, source: 'setup-link' } });
  const s = await startSession({ store: api.store, user, req, res, publicUrl: api.config.publicUrl });
  await api.audit({ req, actor: user.id, action: 'auth.login', targetType: 'user', targetId: user.id, details: { email: user.email } });
  return { user: userJson(user), csrfToken: s.csrfToken, session: { id: s.session.id, expiresAt: s.session.expiresAt } };
}
