// Schedules in the scaled mode: two server processes and a worker share one Redis; every tick of a
// seconds cron runs exactly once, and disabling the flow through the API stops the ticks at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../../apps/server/src/config.ts';
import { closeContext, openContext } from '../../apps/server/src/processes.ts';
import { seedFlow } from '../../apps/server/src/runtime/seed.ts';
import { spawnTributary, type Child } from '../support/processes.ts';
import { adminHeaders, flushRedis, freshDatabase } from '../support/scaled.ts';
import { startTarget } from '../support/target.ts';
import { until } from '../support/tributary.ts';

const db = `tributary_sched_${process.pid}`;
let dropDatabase = (): void => undefined;
const children: Child[] = [];
const dataDir = mkdtempSync(path.join(tmpdir(), 'tributary-sched-'));
afterAll(async () => {
  for (const c of children) await c.kill('SIGKILL');
  dropDatabase();
  flushRedis(4);
  rmSync(dataDir, { recursive: true, force: true });
});

it('fires each tick once across two servers and stops when the flow is disabled', async () => {
  dropDatabase = freshDatabase(db);
  flushRedis(4);
  const target = await startTarget();
  const env = {
    PORT: '0',
    TRIBUTARY_DATA_DIR: dataDir,
    TRIBUTARY_SECRET_KEY: Buffer.alloc(32, 3).toString('base64'),
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`,
    REDIS_URL: 'redis://127.0.0.1:6379/4',
    TRIBUTARY_ADMIN_EMAIL: 'ops@northwind.example',
    TRIBUTARY_ADMIN_PASSWORD: 'correct horse battery staple',
  };
  const [s1, s2, w] = await Promise.all([spawnTributary('server', env), spawnTributary('server', env), spawnTributary('worker', env)]);
  children.push(s1, s2, w);

  // An admin tool seeds the flow: publish, enable, schedules synced, every process told.
  const ctx = await openContext(loadConfig(env), { mode: 'cli' });
  await seedFlow(ctx, {
    flow: {
      schemaVersion: 1,
      id: 'every-second',
      name: 'Every second',
      trigger: 'tick',
      nodes: [
        { id: 'tick', type: 'core.schedule', config: { cron: '* * * * * *', timezone: 'Europe/Berlin' } },
        { id: 'post', type: 'core.httpRequest', config: { method: 'POST', url: `${target.url}/ticks`, body: { $expr: '$trigger' } } },
      ],
      edges: [{ from: 'tick', to: 'post' }],
    },
  });
  await closeContext(ctx);

  // Three processes start at once next to other test files on a shared machine: give the first ticks time.
  await until(async () => target.orders.length >= 5, { timeoutMs: 90_000, what: 'five ticks' });

  // Disable through the API of the *other* server.
  const headers = await adminHeaders(s2.url, env.TRIBUTARY_ADMIN_EMAIL, env.TRIBUTARY_ADMIN_PASSWORD);
  const off = await fetch(`${s2.url}/api/v1/flows/every-second/disable`, { method: 'POST', headers, body: '{}' });
  expect(off.status).toBe(200);
  await new Promise((r) => setTimeout(r, 1500)); // a tick already taken may still finish
  const atDisable = target.orders.length;
  await new Promise((r) => setTimeout(r, 3000));
  expect(target.orders.length).toBe(atDisable);

  const ticks = target.orders.map((o) => (o.body as { scheduledAt: string }).scheduledAt);
  expect(new Set(ticks).size).toBe(ticks.length); // no tick twice
  const ms = ticks.map((t) => Date.parse(t)).sort((a, b) => a - b);
  for (let i = 1; i < ms.length; i++) expect(ms[i]! - ms[i - 1]!).toBeGreaterThanOrEqual(1000);
  expect(ticks.length).toBeGreaterThanOrEqual(5);
  await target.close();
}, 180_000);

// The same two servers: sign-in attempts are counted in Redis, so the budget is one for the installation,
// not one per process (alternating between servers used to double it).
it('counts sign-in attempts across both servers', async () => {
  const [s1, s2] = children;
  if (!s1 || !s2) throw new Error('the servers of the test above did not start');
  const email = `guess-${process.pid}@northwind.example`;
  const login = (url: string) =>
    fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'not the password' }) });
  for (let i = 0; i < 10; i++) expect((await login(i % 2 ? s1.url : s2.url)).status).toBe(401);
  const limited = [await login(s1.url), await login(s2.url)];
  expect(limited.map((r) => r.status)).toEqual([429, 429]);
  expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
}, 60_000);
