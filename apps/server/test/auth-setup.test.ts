import { afterEach, describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from '../src/api/index.ts';
import { SETUP_SETTING } from '../src/auth/first-admin.ts';
import { verifyPassword } from '../src/auth/passwords.ts';
import { sha256Hex } from '../src/auth/tokens.ts';
import { startHarness, type Harness } from './api-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('first admin', () => {
  it('is created from TRIBUTARY_ADMIN_EMAIL and TRIBUTARY_ADMIN_PASSWORD on first start only', async () => {
    h = await startHarness({ env: { TRIBUTARY_ADMIN_EMAIL: 'Owner@Example.com', TRIBUTARY_ADMIN_PASSWORD: 'first admin password' } });
    const r = await ensureFirstAdmin(h.ctx);
    expect(r.kind).toBe('created');
    const user = await h.ctx.store.getUserByEmail('owner@example.com');
    expect(user).toMatchObject({ role: 'admin', disabled: false });
    expect(user!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user!.passwordHash!, 'first admin password')).toBe(true);
    expect((await h.ctx.store.listAudit({ action: 'user.create' })).items).toHaveLength(1);
    expect((await ensureFirstAdmin(h.ctx)).kind).toBe('exists');
    expect(await h.ctx.store.countUsers()).toBe(1);
    expect(h.logs.join('')).not.toContain('first admin password');
  });

  it('otherwise prints a one-time setup link (stored hashed) that creates the admin once', async () => {
    h = await startHarness({ env: { TRIBUTARY_PUBLIC_URL: 'https://tributary.example.com/' } });
    const r = await ensureFirstAdmin(h.ctx);
    if (r.kind !== 'setup-link') throw new Error(`expected a setup link, got ${r.kind}`);
    expect(r.url).toBe(`https://tributary.example.com/setup?token=${r.token}`);
    expect(h.logs.join('')).toContain(r.url);
    const setting = await h.ctx.store.getSetting(SETUP_SETTING);
    expect(JSON.stringify(setting)).not.toContain(r.token);
    expect(setting?.value).toMatchObject({ tokenHash: sha256Hex(r.token), usedAt: null });

    const anon = h.anonymous();
    const body = { token: r.token, email: 'boss@example.com', name: 'Boss', password: 'the boss password' };
    const wrong = await anon.post('/api/v1/auth/setup', { ...body, token: 'not-the-token' });
    expect(wrong.status).toBe(403);
    expect(wrong.json).toMatchObject({ error: { code: 'SETUP_TOKEN_INVALID' } });
    const weak = await anon.post('/api/v1/auth/setup', { ...body, password: 'short' });
    expect(weak.status).toBe(400);
    expect(await h.ctx.store.countUsers()).toBe(0);

    const ok = await anon.post('/api/v1/auth/setup', body);
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ user: { email: 'boss@example.com', role: 'admin' }, csrfToken: expect.any(String) });
    const cookie = ok.headers.getSetCookie().find((c) => c.startsWith('trb_session='))!;
    expect(cookie).toMatch(/Secure/);
    anon.cookie = cookie.split(';')[0]!;
    expect((await anon.get('/api/v1/users')).status).toBe(200);

    const again = await h.anonymous().post('/api/v1/auth/setup', { ...body, email: 'intruder@example.com' });
    expect(again.status).toBe(409);
    expect(await h.ctx.store.getUserByEmail('intruder@example.com')).toBeNull();
    expect((await h.ctx.store.getSetting(SETUP_SETTING))?.value).toMatchObject({ usedAt: expect.any(String) });
    expect((await ensureFirstAdmin(h.ctx)).kind).toBe('exists');
  });

  it('refuses an expired setup link', async () => {
    h = await startHarness();
    const r = await ensureFirstAdmin(h.ctx, new Date(Date.now() - 25 * 3600_000));
    if (r.kind !== 'setup-link') throw new Error('expected a setup link');
    const res = await h.anonymous().post('/api/v1/auth/setup', { token: r.token, email: 'late@example.com', name: 'Late', password: 'late but long enough' });
    expect(res.status).toBe(403);
    expect((res.json as { error: { message: string } }).error.message).toMatch(/expired/);
    expect(await h.ctx.store.countUsers()).toBe(0);
  });
});
