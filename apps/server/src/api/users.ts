import { z } from 'zod';
import { isStoreError, type User } from '@tributary/store';
import { hashPassword, passwordSchema } from '../auth/passwords.ts';
import { newApiToken, sha256Hex } from '../auth/tokens.ts';
import { HttpError } from '../http/errors.ts';
import type { Api } from './deps.ts';
import { tokenJson, userJson } from './present.ts';
import type { ApiRoutes } from './route.ts';
import { emailSchema, idSchema, isoDate, listOf, roleSchema, tokenOut, userOut } from './schemas.ts';
import { isStoreCode } from './util.ts';

const userParams = z.object({ id: idSchema });

/** Users (admin only) and each user's own API tokens. */
export function userRoutes(r: ApiRoutes, api: Api): void {
  const { store } = api;

  r.route({ method: 'get', path: '/users', auth: 'admin', summary: 'List users', response: listOf(userOut) }, async () => ({ items: (await store.listUsers()).map(userJson) }));

  r.route({ method: 'get', path: '/users/:id', auth: 'admin', summary: 'One user', params: userParams, response: userOut, errors: [404] }, async ({ params }) => {
    const u = await store.getUser(params.id);
    if (!u) throw new HttpError('USER_NOT_FOUND', `no user ${params.id}`);
    return userJson(u);
  });

  r.route(
    {
      method: 'post',
      path: '/users',
      auth: 'admin',
      summary: 'Create a user',
      body: z.object({ email: emailSchema, name: z.string().trim().max(200).optional(), role: roleSchema, password: passwordSchema }).strict(),
      response: userOut,
      status: 201,
      errors: [409],
    },
    async ({ body, principal, req }) => {
      try {
        const u = await store.createUser({ email: body.email, name: body.name ?? body.email.split('@')[0] ?? '', role: body.role, passwordHash: await hashPassword(body.password) });
        await api.audit({ req, actor: principal, action: 'user.create', targetType: 'user', targetId: u.id, details: { email: u.email, role: u.role } });
        return userJson(u);
      } catch (err) {
        if (isStoreCode(err, 'STORE_DUPLICATE')) throw new HttpError('CONFLICT', `a user with e-mail ${body.email} already exists`, { path: 'body.email' });
        throw err;
      }
    },
  );

  r.route(
    {
      method: 'patch',
      path: '/users/:id',
      auth: 'admin',
      summary: 'Change name, role, disabled or password; disabling or a new password signs the user out everywhere',
      params: userParams,
      body: z.object({ name: z.string().trim().max(200).optional(), role: roleSchema.optional(), disabled: z.boolean().optional(), password: passwordSchema.optional() }).strict(),
      response: userOut,
      errors: [404, 409],
    },
    async ({ params, body, principal, req }) => {
      const user = await store.getUser(params.id);
      if (!user) throw new HttpError('USER_NOT_FOUND', `no user ${params.id}`);
      let updated: User;
      try {
        updated = await store.updateUser({
          id: user.id,
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.role !== undefined ? { role: body.role } : {}),
          ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
          ...(body.password !== undefined ? { passwordHash: await hashPassword(body.password) } : {}),
          // Checked by the store in the same transaction as the change, so parallel requests to any
          // number of server processes cannot together demote or disable every admin.
          keepAnActiveAdmin: true,
        });
      } catch (err) {
        if (isStoreError(err) && err.code === 'STORE_CONFLICT' && err.details['rule'] === 'last-admin') {
          throw new HttpError('LAST_ADMIN', `${user.email} is the last active admin; make someone else admin first`);
        }
        throw err;
      }
      let sessionsRevoked = 0;
      if (body.disabled === true || body.password !== undefined) sessionsRevoked = await store.revokeUserSessions(user.id);
      const changes: Record<string, { from: string | boolean; to: string | boolean }> = {};
      if (body.role !== undefined && body.role !== user.role) changes['role'] = { from: user.role, to: body.role };
      if (body.disabled !== undefined && body.disabled !== user.disabled) changes['disabled'] = { from: user.disabled, to: body.disabled };
      if (body.name !== undefined && body.name !== user.name) changes['name'] = { from: user.name, to: body.name };
      await api.audit({ req, actor: principal, action: 'user.update', targetType: 'user', targetId: user.id, details: { email: user.email, changes, passwordChanged: body.password !== undefined, sessionsRevoked } });
      return userJson(updated);
    },
  );

  r.route({ method: 'get', path: '/tokens', auth: 'viewer', summary: 'Your API tokens (values are shown only when created)', response: listOf(tokenOut) }, async ({ principal }) => ({
    items: (await store.listApiTokens(principal.user.id)).map(tokenJson),
  }));

  r.route(
    {
      method: 'post',
      path: '/tokens',
      auth: 'viewer',
      summary: 'Create an API token acting with your role; the value is in this response only',
      body: z.object({ name: z.string().trim().min(1).max(100) }).strict(),
      response: z.object({ id: z.string(), name: z.string(), token: z.string().describe('trb_…; store it now, it is not shown again'), createdAt: isoDate }),
      status: 201,
    },
    async ({ body, principal, req }) => {
      const value = newApiToken();
      const t = await store.createApiToken({ userId: principal.user.id, name: body.name, tokenHash: sha256Hex(value) });
      await api.audit({ req, actor: principal, action: 'token.create', targetType: 'token', targetId: t.id, details: { name: t.name } });
      return { id: t.id, name: t.name, token: value, createdAt: t.createdAt };
    },
  );

  r.route({ method: 'delete', path: '/tokens/:id', auth: 'viewer', summary: 'Revoke one of your API tokens', params: z.object({ id: idSchema }), errors: [404] }, async ({ params, principal, req }) => {
    const mine = (await store.listApiTokens(principal.user.id)).find((t) => t.id === params.id);
    if (!mine) throw new HttpError('TOKEN_NOT_FOUND', `you have no API token ${params.id}`);
    if (!mine.revokedAt) await store.revokeApiToken(mine.id);
    await api.audit({ req, actor: principal, action: 'token.revoke', targetType: 'token', targetId: mine.id, details: { name: mine.name } });
    return undefined;
  });
}
