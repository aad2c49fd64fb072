// Cancelling a run in the scaled mode: the API of one process cancels a run that a worker process has
// in hand. The cancellation is recorded at once, the worker is told through Redis and aborts the step
// in flight, nothing after it runs, and the worker's late outcome does not undo the cancellation.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openStore } from '@tributary/store';
import { loadConfig } from '../../apps/server/src/config.ts';
import { closeContext, openContext } from '../../apps/server/src/processes.ts';
import { seedFlow } from '../../apps/server/src/runtime/seed.ts';
import { spawnTributary, type Child } from '../support/processes.ts';
import { adminHeaders, flushRedis, freshDatabase } from '../support/scaled.ts';
import { until } from '../support/tributary.ts';

const db = `tributary_cancel_${process.pid}`;
let dropDatabase = (): void => undefined;
const children: Child[] = [];
const dataDir = mkdtempSync(path.join(tmpdir(), 'tributary-cancel-'));
let target: Server | undefined;
afterAll(async () => {
  for (const c of children) await c.kill('SIGKILL');
  target?.closeAllConnections();
  await new Promise<void>((resolve) => (target ? target.close(() => resolve()) : resolve()));
  dropDatabase();
  flushRedis(5);
  rmSync(dataDir, { recursive: true, force: true });
});

it('stops a run a worker process has in hand, from the API of the server process', async () => {
  dropDatabase = freshDatabase(db);
  flushRedis(5);
  // The ERP takes the order and never answers; a second endpoint records whether a later step ran.
  const hits: Array<{ path: string; aborted: boolean }> = [];
  target = createServer((req, res) => {
    const hit = { path: req.url ?? '', aborted: false };
    hits.push(hit);
    res.on('close', () => {
      if (!res.writableEnded) hit.aborted = true;
    });
    if (req.url !== '/orders') res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => target!.listen(0, '127.0.0.1', () => resolve()));
  const erp = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  const env = {
    PORT: '0',
    TRIBUTARY_DATA_DIR: dataDir,
    TRIBUTARY_SECRET_KEY: Buffer.alloc(32, 5).toString('base64'),
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`,
    REDIS_URL: 'redis://127.0.0.1:6379/5',
    TRIBUTARY_ADMIN_EMAIL: 'ops@northwind.example',
    TRIBUTARY_ADMIN_PASSWORD: 'correct horse battery staple',
  };
  const [server, worker] = await Promise.all([spawnTributary('server', env), spawnTributary('worker', env)]);
  children.push(server, worker);
  const ctx = await openContext(loadConfig(env), { mode: 'cli' });
  await seedFlow(ctx, {
    flow: {
      schemaVersion: 1,
      id: 'order-to-erp',
      name: 'Order to ERP',
      trigger: 'in',
      nodes: [
        { id: 'in', type: 'core.webhook', config: { signature: 'none' } },
        { id: 'post', type: 'core.httpRequest', config: { method: 'POST', url: `${erp}/orders`, body: { $expr: '$trigger' } } },
        { id: 'notify', type: 'core.httpRequest', config: { method: 'POST', url: `${erp}/notify`, body: { $expr: '$trigger' } } },
      ],
      edges: [{ from: 'in', to: 'post' }, { from: 'post', to: 'notify' }],
    },
  });
  await closeContext(ctx);

  const hook = await fetch(`${server.url}/hooks/order-to-erp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: '#C1' }) });
  expect(hook.status).toBe(202);
  const { runId } = (await hook.json()) as { runId: string };
  await until(async () => (hits.some((h) => h.path === '/orders') ? true : undefined), { timeoutMs: 30_000, what: 'the order to reach the ERP' });

  const headers = await adminHeaders(server.url, env.TRIBUTARY_ADMIN_EMAIL, env.TRIBUTARY_ADMIN_PASSWORD);
  const cancel = await fetch(`${server.url}/api/v1/runs/${runId}/cancel`, { method: 'POST', headers, body: '{}' });
  expect(cancel.status).toBe(200);
  expect(await cancel.json()).toMatchObject({ run: { id: runId, status: 'cancelled', error: { code: 'RUN_CANCELLED' } } });

  // The worker (another process) drops the request in flight and records the step it stopped.
  await until(async () => (hits.find((h) => h.path === '/orders')?.aborted ? true : undefined), { timeoutMs: 15_000, what: 'the worker to abort the request in flight' });
  const store = await openStore({ databaseUrl: env.DATABASE_URL });
  try {
    const steps = await until(async () => {
      const s = await store.listSteps(runId);
      return s.some((x) => x.nodeId === 'post') ? s : undefined;
    }, { timeoutMs: 15_000, what: 'the stopped step to be recorded' });
    expect(steps.find((x) => x.nodeId === 'post')).toMatchObject({ status: 'failed', error: { code: 'RUN_CANCELLED' } });
    await new Promise((r) => setTimeout(r, 500));
    expect(await store.getRun(runId)).toMatchObject({ status: 'cancelled', error: { code: 'RUN_CANCELLED' } });
    expect(hits.map((h) => h.path)).toEqual(['/orders']);
  } finally {
    await store.close();
  }
}, 120_000);
