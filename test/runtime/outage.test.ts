// The ERP answers 503, then refuses connections, for a stretch; runs back off and retry, and all
// complete once it recovers. The run history shows every attempt with its error code.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTarget, type Target } from '../support/target.ts';
import { orderFlow, shopifyOrder, startTestServer, until, type TestServer } from '../support/tributary.ts';
import { sendShopifyWebhook } from '../support/webhooks.ts';

const SECRET = 'outage-secret';
let server: TestServer;
let target: Target;

beforeAll(async () => {
  target = await startTarget();
  server = await startTestServer();
  const flow = orderFlow(target.url);
  for (const n of flow.nodes) if (n.id === 'createSalesOrder') n.retry = { attempts: 10, backoff: 'exponential', initialDelayMs: 500, maxDelayMs: 4000 };
  await server.seed(flow, [{ name: 'shopify-webhooks', connector: 'core', secrets: { webhookSecret: SECRET } }]);
});
afterAll(async () => {
  await server?.stop();
  await target?.close();
});

it('retries through a 503 stretch and refused connections, loses nothing, and records the attempts', async () => {
  await target.outage('503');
  const runIds: string[] = [];
  for (let i = 0; i < 20; i++) {
    const res = await sendShopifyWebhook(`${server.url}/hooks/webhook-to-erp`, shopifyOrder(100 + i), { secret: SECRET });
    expect(res.status).toBe(202);
    runIds.push(String(res.body['runId']));
  }
  await until(async () => target.requests >= 20, { what: 'first attempts to hit the 503s' });
  await new Promise((r) => setTimeout(r, 1500));
  await target.outage('refuse');
  await new Promise((r) => setTimeout(r, 2500));
  expect(target.orders).toHaveLength(0);
  await target.outage('none');

  const runs = await until(async () => {
    const all = await Promise.all(runIds.map((id) => server.ctx.runtime.runWithSteps(id)));
    return all.every((r) => r?.status === 'succeeded') ? all : undefined;
  }, { timeoutMs: 60_000, what: 'every run to succeed after the outage' });

  expect(new Set(target.orders.map((o) => (o.body as { externalDocumentNumber: string }).externalDocumentNumber)).size).toBe(20);
  expect(target.orders).toHaveLength(20);
  const codes = new Set<string>();
  for (const run of runs) {
    const attempts = run!.steps.filter((s) => s.nodeId === 'createSalesOrder');
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts.at(-1)?.status).toBe('succeeded');
    for (const a of attempts.slice(0, -1)) {
      expect(a.status).toBe('failed');
      codes.add(a.error!.code);
    }
    // attempts are numbered 1..n in order
    expect(attempts.map((a) => a.attempt)).toEqual(attempts.map((_, i) => i + 1));
  }
  expect(codes.has('UPSTREAM_UNAVAILABLE')).toBe(true);
  expect(codes.has('NETWORK')).toBe(true);
}, 90_000);

it('keeps a retry backoff across a restart: the re-queued run waits out what is left of it', async () => {
  const slow = await startTarget();
  const first = await startTestServer();
  const dataDir = first.dataDir;
  let second: TestServer | undefined;
  try {
    const flow = orderFlow(slow.url);
    // Longer than the 5 s a run sleeps inline, so the run is parked as a delayed job (in memory, embedded).
    for (const n of flow.nodes) if (n.id === 'createSalesOrder') n.retry = { attempts: 3, backoff: 'fixed', initialDelayMs: 20_000 };
    await first.seed(flow, [{ name: 'shopify-webhooks', connector: 'core', secrets: { webhookSecret: SECRET } }]);
    await slow.outage('503');
    const res = await sendShopifyWebhook(`${first.url}/hooks/webhook-to-erp`, shopifyOrder(500), { secret: SECRET });
    expect(res.status).toBe(202);
    const runId = String(res.body['runId']);
    const failed = await until(async () => (await first.ctx.runtime.runWithSteps(runId))?.steps.find((s) => s.nodeId === 'createSalesOrder' && s.status === 'failed'), { what: 'the first attempt to fail' });
    const dueAt = failed.finishedAt!.getTime() + (failed.error!.details as { retryInMs: number }).retryInMs;
    // Parked, the run says it is waiting, on which step, why and until when.
    const parked = await until(async () => {
      const r = await first.ctx.store.getRun(runId);
      return r?.status === 'waiting' ? r : undefined;
    }, { what: 'the run to be recorded as waiting' });
    expect(parked.error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true, details: { nodeId: 'createSalesOrder' } });
    expect(Math.abs(Date.parse(String((parked.error!.details as { resumeAt: string }).resumeAt)) - dueAt)).toBeLessThan(50);
    expect(parked.error!.details).not.toHaveProperty('retryInMs');
    await first.close(); // the in-memory delayed job goes with the process
    await slow.outage('none');

    second = await startTestServer({ TRIBUTARY_DATA_DIR: dataDir }); // recovers unfinished runs at once
    await new Promise((r) => setTimeout(r, 2000));
    expect(Date.now()).toBeLessThan(dueAt - 500); // still inside the backoff…
    expect(slow.requests).toBe(1); // …and not tried again
    expect((await second.ctx.store.getRun(runId))?.status).toBe('waiting');
    const run = await until(async () => {
      const r = await second!.ctx.runtime.runWithSteps(runId);
      return r?.status === 'succeeded' ? r : undefined;
    }, { timeoutMs: 40_000, what: 'the run to succeed after its backoff' });
    expect(run.error).toBeNull();
    expect(slow.orders).toHaveLength(1);
    expect(slow.orders[0]!.at).toBeGreaterThanOrEqual(dueAt - 50);
    expect(run.steps.filter((s) => s.nodeId === 'createSalesOrder').map((s) => [s.attempt, s.status])).toEqual([[1, 'failed'], [2, 'succeeded']]);
  } finally {
    await second?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await slow.close();
  }
}, 60_000);
