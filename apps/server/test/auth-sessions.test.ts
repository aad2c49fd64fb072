import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfTokenFor, sha256Hex } from '../src/auth/tokens.ts';
import { login, PASSWORD, startHarness, type Client, type Harness } from './api-harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

function cookieOf(res: { headers: Headers }): string {
  const c = res.headers.getSetCookie().find((x) => x.startsWith('trb_session='));
  if (!c) throw new Error('no session cookie');
  return c;
}

describe('sign-in and sessions', () => {
  it('signs in with a httpOnly SameSite=Lax cookie and returns the user and CSRF token', async () => {
    const viewer = await h.as('viewer');
    const res = await h.anonymous().request('POST', '/api/v1/auth/login', { body: { email: viewer.email.toUpperCase(), password: PASSWORD }, headers: { 'x-forwarded-for': '10.9.0.1' } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ user: { email: viewer.email, role: 'viewer' }, csrfToken: expect.any(String) });
    expect(JSON.stringify(res.json)).not.toContain('passwordHash');
    const cookie = cookieOf(res);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    expect(cookie).toMatch(/Path=\//);

    const me = await viewer.get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ user: { id: viewer.userId, role: 'viewer' }, csrfToken: viewer.csrf });
  });

  it('marks the cookie Secure behind a TLS-terminating proxy', async () => {
    const u = await h.as('viewer');
    const res = await h.anonymous().request('POST', '/api/v1/auth/login', { body: { email: u.email, password: PASSWORD }, headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '10.9.0.2' } });
    expect(cookieOf(res)).toMatch(/Secure/i);
  });

  it('marks the cookie Secure when the public URL is https', async () => {
    const h2 = await startHarness({ env: { TRIBUTARY_PUBLIC_URL: 'https://tributary.example.com' } });
    try {
      const u = await h2.as('viewer');
      const res = await h2.anonymous().request('POST', '/api/v1/auth/login', { body: { email: u.email, password: PASSWORD } });
      expect(cookieOf(res)).toMatch(/Secure/i);
    } finally {
      await h2.close();
    }
  });

  it('answers 401 without credentials and for wrong ones, and audits failed sign-ins with the address', async () => {
    expect((await h.anonymous().get('/api/v1/flows')).status).toBe(401);
    const u = await h.as('analyst');
    const bad = await h.anonymous().request('POST', '/api/v1/auth/login', { body: { email: u.email, password: 'wrong password' }, headers: { 'x-forwarded-for': '10.9.0.3' } });
    expect(bad.status).toBe(401);
    expect(bad.json).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    const unknown = await h.anonymous().request('POST', '/api/v1/auth/login', { body: { email: 'nobody@example.com', password: 'whatever1' }, headers: { 'x-forwarded-for': '10.9.0.3' } });
    expect(unknown.status).toBe(401);
    expect((unknown.json as { error: { message: string } }).error.message).toBe((bad.json as { error: { message: string } }).error.message);
    expect(bad.headers.get('set-cookie')).toBeNull();

    const failed = await h.ctx.store.listAudit({ action: 'auth.login_failed' });
    expect(failed.items.map((a) => [a.actor, a.ip, (a.details as { email: string }).email])).toEqual(
      expect.arrayContaining([
        [u.userId, '10.9.0.3', u.email],
        ['anonymous', '10.9.0.3', 'nobody@example.com'],
      ]),
    );
    const ok = await h.ctx.store.listAudit({ action: 'auth.login', actor: u.userId });
    expect(ok.items).toHaveLength(1);
    expect(ok.items[0]!.ip).toMatch(/^10\./);
  });

  it('requires the CSRF token on cookie-authenticated writes, not on API tokens', async () => {
    const a = await h.as('analyst');
    const draft = { schemaVersion: 1, id: 'csrf-flow', name: 'CSRF', trigger: 'in', nodes: [{ id: 'in', type: 'testkit.hook' }] };
    const missing = await a.request('POST', '/api/v1/flows', { body: { draft }, csrf: false });
    expect(missing.status).toBe(403);
    expect(missing.json).toMatchObject({ error: { code: 'CSRF_INVALID' } });
    const wrong = await a.request('POST', '/api/v1/flows', { body: { draft }, csrf: false, headers: { 'x-csrf-token': csrfTokenFor('another session') } });
    expect(wrong.status).toBe(403);
    expect(await h.ctx.store.getFlow('csrf-flow')).toBeNull();
    expect((await a.request('POST', '/api/v1/flows', { body: { draft } })).status).toBe(201);

    const created = await a.post('/api/v1/tokens', { name: 'ci' });
    const token = (created.json as { token: string }).token;
    const bot = h.anonymous();
    bot.bearer = token;
    const viaToken = await bot.request('PUT', '/api/v1/flows/csrf-flow', { body: { draft, rev: 1 } });
    expect(viaToken.status).toBe(200);
  });

  it('logs out: the session is revoked and the cookie cleared', async () => {
    const u = await h.as('viewer');
    const res = await u.post('/api/v1/auth/logout');
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie().join(';')).toMatch(/trb_session=;/);
    expect((await u.get('/api/v1/auth/me')).status).toBe(401);
    const entries = await h.ctx.store.listAudit({ action: 'auth.logout', actor: u.userId });
    expect(entries.items).toHaveLength(1);
  });

  it('ends sessions after 12 idle hours and after 7 days whatever happens', async () => {
    const idle = await h.as('viewer');
    const token = decodeURIComponent(idle.cookie!.split('=')[1]!);
    await h.ctx.store.touchSession(sha256Hex(token), new Date(Date.now() - 12 * 3600_000 - 1000));
    expect((await idle.get('/api/v1/auth/me')).status).toBe(401);

    const old = await h.as('viewer');
    const raw = 'absolute-expiry-test-token';
    await h.ctx.store.createSession({ id: sha256Hex(raw), userId: old.userId, expiresAt: new Date(Date.now() - 1000) });
    old.cookie = `trb_session=${raw}`;
    expect((await old.get('/api/v1/auth/me')).status).toBe(401);
    await h.ctx.store.createSession({ id: sha256Hex(`${raw}-live`), userId: old.userId, expiresAt: new Date(Date.now() + 3600_000) });
    old.cookie = `trb_session=${raw}-live`;
    expect((await old.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('revokes sessions one by one, all at once, and when an admin disables the user', async () => {
    const admin = await h.as('admin');
    const u = await h.as('analyst');
    const second = await login(h.anonymous(), u.email, PASSWORD);
    const me = (await second.get('/api/v1/auth/me')).json as { session: { id: string } };

    // someone else's session is invisible to a non-admin
    const other = await h.as('viewer');
    expect((await other.del(`/api/v1/sessions/${me.session.id}`)).status).toBe(404);
    expect((await second.del(`/api/v1/sessions/${me.session.id}`)).status).toBe(204);
    expect((await second.get('/api/v1/auth/me')).status).toBe(401);
    expect((await u.get('/api/v1/auth/me')).status).toBe(200);

    const third = await login(h.anonymous(), u.email, PASSWORD);
    const all = await u.post('/api/v1/sessions/revoke-all', {});
    expect(all.json).toEqual({ revoked: 2 });
    expect((await third.get('/api/v1/auth/me')).status).toBe(401);

    const again = await login(h.anonymous(), u.email, PASSWORD);
    const tokenRes = await again.post('/api/v1/tokens', { name: 'automation' });
    const bot = h.anonymous();
    bot.bearer = (tokenRes.json as { token: string }).token;
    expect((await bot.get('/api/v1/flows')).status).toBe(200);
    expect((await other.post('/api/v1/sessions/revoke-all', { userId: u.userId })).status).toBe(403);
    const disabled = await admin.patch(`/api/v1/users/${u.userId}`, { disabled: true });
    expect(disabled.status).toBe(200);
    expect((await again.get('/api/v1/auth/me')).status).toBe(401);
    expect((await bot.get('/api/v1/flows')).status).toBe(401);
    const relogin = await h.anonymous().request('POST', '/api/v1/auth/login', { body: { email: u.email, password: PASSWORD }, headers: { 'x-forwarded-for': '10.9.0.4' } });
    expect(relogin.status).toBe(401);
  });

  it('shows API tokens once, stores only their hash, and refuses revoked ones', async () => {
    const u = await h.as('viewer');
    const res = await u.post('/api/v1/tokens', { name: 'grafana' });
    expect(res.status).toBe(201);
    const { id, token } = res.json as { id: string; token: string };
    expect(token).toMatch(/^trb_[A-Za-z0-9_-]{40,}$/);
    const stored = await h.ctx.store.getApiTokenByHash(sha256Hex(token));
    expect(stored?.id).toBe(id);
    expect(JSON.stringify(await h.ctx.store.listApiTokens(u.userId))).not.toContain(token);
    const list = await u.get('/api/v1/tokens');
    expect(list.text).not.toContain(token);
    expect(list.json).toMatchObject({ items: [{ id, name: 'grafana', revokedAt: null }] });

    const bot = h.anonymous();
    bot.bearer = token;
    expect((await bot.get('/api/v1/auth/me')).json).toMatchObject({ user: { id: u.userId }, csrfToken: null });
    const other = await h.as('viewer');
    expect((await other.del(`/api/v1/tokens/${id}`)).status).toBe(404);
    expect((await u.del(`/api/v1/tokens/${id}`)).status).toBe(204);
    expect((await bot.get('/api/v1/auth/me')).status).toBe(401);
    bot.bearer = 'trb_not-a-real-token';
    expect((await bot.get('/api/v1/auth/me')).status).toBe(401);

    const audit = (await h.ctx.store.listAudit({ targetId: id })).items.map((a) => a.action);
    expect(audit).toEqual(['token.revoke', 'token.create']);
  });
});

describe('sign-in rate limits', () => {
  it('allows 10 attempts per e-mail in 15 minutes, then answers 429 with Retry-After', async () => {
    const u = await h.as('viewer');
    for (let i = 0; i < 10; i++) {
      const r = await h.anonymous().request('POST', '/api/v1/auth/login', { body: { email: u.email, password: `wrong-${i}` }, headers: { 'x-forwarded-for': `10.8.1.${i}` } });
      expect(r.status).toBe(401);
    }
    const limited = await h.anonymous().request('POST', '/api/v1/auth/login', { body: { email: u.email, password: PASSWORD }, headers: { 'x-forwarded-for': '10.8.1.200' } });
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    const retry = Number(limited.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(15 * 60);
  });

  it('allows 10 attempts per address, whatever the e-mail', async () => {
    const u = await h.as('viewer');
    for (let i = 0; i < 10; i++) {
      const r = await h.anonymous().request('POST', '/api/v1/auth/login', { body: { email: `guess-${i}@example.com`, password: 'nope-nope' }, headers: { 'x-forwarded-for': '10.8.2.1' } });
      expect(r.status).toBe(401);
    }
    const limited = await h.anonymous().request('POST', '/api/v1/auth/login', { body: { email: u.email, password: PASSWORD }, headers: { 'x-forwarded-for': '10.8.2.1' } });
    expect(limited.status).toBe(429);
    const elsewhere = await h.anonymous().request('POST', '/api/v1/auth/login', { body: { email: u.email, password: PASSWORD }, headers: { 'x-forwarded-for': '10.8.2.2' } });
    expect(elsewhere.status).toBe(200);
  });
});

describe('open endpoints and CORS', () => {
  it.each(['/healthz', '/readyz', '/metrics', '/api/v1/openapi.json'])('%s needs no sign-in', async (p) => {
    const res = await h.anonymous().get(p);
    expect(res.status).toBe(200);
  });

  it('never sends Access-Control-Allow-Origin, not even to a preflight', async () => {
    const u: Client = await h.as('viewer');
    const pre = await fetch(`${h.url}/api/v1/flows`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-csrf-token' } });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
    const get = await fetch(`${h.url}/api/v1/flows`, { headers: { origin: 'https://evil.example', cookie: u.cookie! } });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
    const login = await fetch(`${h.url}/api/v1/auth/login`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{}' });
    expect(login.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('changing your own password', () => {
  it('needs the current password, ends other sessions and keeps this one signed in', async () => {
    const u = await h.as('analyst');
    const other = await login(h.anonymous(), u.email, PASSWORD);
    const wrong = await u.post('/api/v1/auth/password', { currentPassword: 'not it at all', newPassword: 'a brand new password' });
    expect(wrong.status).toBe(400);
    expect(wrong.json).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: [{ path: 'body.currentPassword' }] } });
    const ok = await u.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'a brand new password' });
    expect(ok.status).toBe(200);
    const fresh = ok.headers.getSetCookie().find((c) => c.startsWith('trb_session='))!;
    u.cookie = fresh.split(';')[0]!;
    u.csrf = (ok.json as { csrfToken: string }).csrfToken;
    expect((await u.get('/api/v1/auth/me')).status).toBe(200);
    expect((await other.get('/api/v1/auth/me')).status).toBe(401);
    const old = await h.anonymous().request('POST', '/api/v1/auth/login', { body: { email: u.email, password: PASSWORD }, headers: { 'x-forwarded-for': '10.9.1.1' } });
    expect(old.status).toBe(401);
    await login(h.anonymous(), u.email, 'a brand new password');
    expect((await h.ctx.store.listAudit({ actor: u.userId })).items.map((a) => a.action)).toEqual(expect.arrayContaining(['auth.password_change', 'auth.password_change_failed']));
  });
});

describe('sign-in limits count failures only', () => {
  it('lets a busy address sign in many times', async () => {
    const u = await h.as('viewer');
    for (let i = 0; i < 12; i++) {
      const r = await h.anonymous().request('POST', '/api/v1/auth/login', { body: { email: u.email, password: PASSWORD }, headers: { 'x-forwarded-for': '10.8.3.1' } });
      expect(r.status, `sign-in ${i + 1}`).toBe(200);
    }
  });
});
