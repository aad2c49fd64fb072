import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRole } from '@tributary/store';
import { startHarness, type Client, type Harness } from './api-harness.ts';

/**
 * The role matrix: every route, the least role that may call it, and a probe request that is harmless
 * when allowed (it names nothing that exists, or fails validation after the access check).
 * Rule: admin does everything; analyst edits, validates and test-runs flows, replays failed runs and
 * retries or resolves failures (DESIGN §1); anything else that changes production (publish, rollback,
 * enable/disable, delete, state reset, run cancellation, connections) or people (users, audit) is admin only; viewer
 * reads. Nobody reads secrets.
 */
type Access = 'public' | UserRole;
const ROUTES: Array<[method: string, path: string, access: Access, body?: unknown]> = [
  ['POST', '/auth/login', 'public', {}],
  ['POST', '/auth/logout', 'public'],
  ['POST', '/auth/setup', 'public', {}],
  ['GET', '/openapi.json', 'public'],
  ['GET', '/auth/me', 'viewer'],
  ['POST', '/auth/password', 'viewer', {}],
  ['DELETE', '/sessions/:id', 'viewer'],
  ['POST', '/sessions/revoke-all', 'viewer', { userId: 5 }],
  ['GET', '/catalog', 'viewer'],
  ['GET', '/connectors', 'viewer'],
  ['GET', '/flows', 'viewer'],
  ['POST', '/flows', 'analyst', {}],
  ['GET', '/flows/:id', 'viewer'],
  ['PUT', '/flows/:id', 'analyst', {}],
  ['DELETE', '/flows/:id', 'admin'],
  ['POST', '/flows/:id/validate', 'analyst', {}],
  ['POST', '/flows/:id/publish', 'admin', {}],
  ['GET', '/flows/:id/versions', 'viewer'],
  ['GET', '/flows/:id/versions/:v', 'viewer'],
  ['GET', '/flows/:id/versions/:a/diff/:b', 'viewer'],
  ['POST', '/flows/:id/versions/:v/rollback', 'admin', {}],
  ['POST', '/flows/:id/enable', 'admin'],
  ['POST', '/flows/:id/disable', 'admin'],
  ['POST', '/flows/:id/test', 'analyst', {}],
  ['GET', '/flows/:id/state', 'viewer'],
  ['DELETE', '/flows/:id/state/:key', 'admin'],
  ['GET', '/runs', 'viewer'],
  ['GET', '/runs/:id', 'viewer'],
  ['POST', '/runs/:id/replay', 'analyst', {}],
  ['POST', '/runs/:id/cancel', 'admin'],
  ['GET', '/failures', 'viewer'],
  ['POST', '/failures/retry', 'analyst', {}],
  ['POST', '/failures/resolve', 'analyst', {}],
  ['GET', '/connections', 'viewer'],
  ['GET', '/connections/:id', 'viewer'],
  ['POST', '/connections', 'admin', {}],
  ['PUT', '/connections/:id', 'admin', {}],
  ['DELETE', '/connections/:id', 'admin'],
  ['GET', '/users', 'admin'],
  ['GET', '/users/:id', 'admin'],
  ['POST', '/users', 'admin', {}],
  ['PATCH', '/users/:id', 'admin', {}],
  ['GET', '/tokens', 'viewer'],
  ['POST', '/tokens', 'viewer', {}],
  ['DELETE', '/tokens/:id', 'viewer'],
  ['GET', '/kpis', 'viewer'],
  ['GET', '/audit', 'admin'],
];

const RANK: Record<UserRole, number> = { viewer: 1, analyst: 2, admin: 3 };
const ROLES: UserRole[] = ['viewer', 'analyst', 'admin'];

function concrete(path: string): string {
  return `/api/v1${path.replace(/:v\b|:a\b|:b\b/g, '1').replace(/:[a-z]+/g, 'nope')}`;
}

let h: Harness;
const sessions = {} as Record<UserRole, Client>;
const bots = {} as Record<UserRole, Client>;

beforeAll(async () => {
  h = await startHarness();
  for (const r of ROLES) {
    sessions[r] = await h.as(r);
    bots[r] = await h.bot(r);
  }
});
afterAll(async () => {
  await h?.close();
});

async function call(c: Client, method: string, path: string, body: unknown) {
  return c.request(method, concrete(path), body === undefined ? {} : { body });
}

describe('role matrix', () => {
  it('covers every route the OpenAPI document lists, and no other', async () => {
    const doc = (await h.anonymous().get('/api/v1/openapi.json')).json as { paths: Record<string, Record<string, { 'x-required-role': string }>> };
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')} ${op['x-required-role']}`));
    expect(documented.sort()).toEqual(ROUTES.map(([m, p, a]) => `${m} ${p} ${a}`).sort());
  });

  describe.each(ROUTES)('%s %s (%s)', (method, path, access, body) => {
    it('without credentials: 401 unless public', async () => {
      const res = await call(h.anonymous(), method, path, body);
      if (access === 'public') expect([401, 403]).not.toContain(res.status);
      else {
        expect(res.status).toBe(401);
        expect(res.json).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
      }
    });

    it.each(ROLES)('as %s with an API token', async (role) => {
      const res = await call(bots[role], method, path, body);
      if (access === 'public' || RANK[role] >= RANK[access]) expect([401, 403], `${res.status} ${res.text}`).not.toContain(res.status);
      else {
        expect(res.status).toBe(403);
        expect(res.json).toMatchObject({ error: { code: 'FORBIDDEN', details: { required: access, role } } });
      }
    });

    it.runIf(path !== '/auth/logout').each(ROLES)('as %s with a session', async (role) => {
      const res = await call(sessions[role], method, path, body);
      if (access === 'public' || RANK[role] >= RANK[access]) expect([401, 403], `${res.status} ${res.text}`).not.toContain(res.status);
      else expect(res.status).toBe(403);
    });
  });

  it('never returns a secret value to any role', async () => {
    const admin = sessions.admin;
    const secret = 'tok-matrix-very-secret-value';
    const created = await admin.post('/api/v1/connections', { name: 'matrix', connector: 'testkit', config: {}, secrets: { token: secret } });
    expect(created.status).toBe(201);
    const id = (created.json as { id: string }).id;
    for (const role of ROLES) {
      for (const p of ['/api/v1/connections', `/api/v1/connections/${id}`]) {
        const res = await sessions[role].get(p);
        expect(res.status).toBe(200);
        expect(res.text).not.toContain(secret);
        expect(res.text).toContain('"secretFields":["token"]');
        expect(res.text).toContain('"hasSecret":true');
      }
    }
  });
});
