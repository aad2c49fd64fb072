// Webhook intake through the real embedded server: verify, dedupe, store durably, acknowledge, run.
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type Target } from '../support/target.ts';
import { orderFlow, shopifyOrder, startTestServer, until, type TestServer } from '../support/tributary.ts';
import { sendShopifyWebhook } from '../support/webhooks.ts';

const SECRET = 'shpss_test_secret';
let server: TestServer;
let target: Target;
let hook: string;

async function runCount(): Promise<number> {
  let n = 0;
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof server.ctx.store.listRuns>> = await server.ctx.store.listRuns({ flowId: 'webhook-to-erp', limit: 500, cursor });
    n += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return n;
}

beforeAll(async () => {
  target = await startTarget();
  server = await startTestServer();
  await server.seed(orderFlow(target.url), [{ name: 'shopify-webhooks', connector: 'core', secrets: { webhookSecret: SECRET } }]);
  hook = `${server.url}/hooks/webhook-to-erp`;
});
afterAll(async () => {
  await server?.stop();
  await target?.close();
});

describe('POST /hooks/:flowId', () => {
  it('acknowledges a signed order with 202 and its run id, then runs it to the ERP', async () => {
    const res = await sendShopifyWebhook(hook, shopifyOrder(1), { secret: SECRET });
    expect(res.status).toBe(202);
    expect(typeof res.body['runId']).toBe('string');
    const run = await until(async () => {
      const r = await server.ctx.runtime.runWithSteps(String(res.body['runId']));
      return r?.status === 'succeeded' ? r : undefined;
    }, { what: 'run to succeed' });
    expect(run.steps.map((s) => [s.nodeId, s.status])).toEqual([['toSalesOrder', 'succeeded'], ['createSalesOrder', 'succeeded']]);
    expect(target.orders.at(-1)?.body).toMatchObject({ externalDocumentNumber: '#T1', customerPurchaseOrder: 'PO-77812', paymentTermsCode: 'NET30' });
    expect(target.orders.at(-1)?.key).toMatch(/^tb1-/);
  });

  it('drops a repeated delivery: 200 with the original run id and no second run', async () => {
    const before = await runCount();
    const first = await sendShopifyWebhook(hook, shopifyOrder(2), { secret: SECRET, webhookId: 'delivery-2' });
    const again = await sendShopifyWebhook(hook, shopifyOrder(2), { secret: SECRET, webhookId: 'delivery-2' });
    expect(first.status).toBe(202);
    expect(again).toEqual({ status: 200, body: { runId: first.body['runId'], duplicate: true } });
    expect(await runCount()).toBe(before + 1);
  });

  it.each([
    ['a bad signature', async () => sendShopifyWebhook(hook, shopifyOrder(3), { secret: SECRET, badSignature: true }), 401, 'SIGNATURE_INVALID'],
    ['an unknown flow', async () => sendShopifyWebhook(`${server.url}/hooks/no-such-flow`, shopifyOrder(3), { secret: SECRET }), 404, 'FLOW_NOT_FOUND'],
    [
      'malformed JSON',
      async () => {
        const { createHmac } = await import('node:crypto');
        const raw = '{"id": 1,';
        const r = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(raw).digest('base64') }, body: raw });
        return { status: r.status, body: (await r.json()) as Record<string, unknown> };
      },
      400,
      'INVALID_JSON',
    ],
    [
      'an empty body, even correctly signed',
      async () => {
        const { createHmac } = await import('node:crypto');
        const r = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update('').digest('base64') }, body: '' });
        return { status: r.status, body: (await r.json()) as Record<string, unknown> };
      },
      400,
      'INVALID_JSON',
    ],
    [
      'a body over 1 MB',
      async () => {
        const r = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }) });
        return { status: r.status, body: (await r.json()) as Record<string, unknown> };
      },
      413,
      'PAYLOAD_TOO_LARGE',
    ],
  ])('rejects %s with a JSON error and stores nothing', async (_what, send, status, code) => {
    const before = await runCount();
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ error: { code } });
    expect(await runCount()).toBe(before);
  });

  it('closes the webhook of a disabled flow at once, and opens it again when enabled', async () => {
    await server.ctx.store.setEnabled({ id: 'webhook-to-erp', enabled: false });
    await server.ctx.events.publish('webhook-to-erp');
    const off = await sendShopifyWebhook(hook, shopifyOrder(4), { secret: SECRET });
    expect(off.status).toBe(404);
    await server.ctx.store.setEnabled({ id: 'webhook-to-erp', enabled: true });
    await server.ctx.events.publish('webhook-to-erp');
    const on = await sendShopifyWebhook(hook, shopifyOrder(4), { secret: SECRET });
    expect(on.status).toBe(202);
  });
});

describe('payloads PostgreSQL text cannot hold', () => {
  it('accepts and runs an order whose note holds a NUL character (valid JSON, refused by jsonb)', async () => {
    const order = { ...shopifyOrder(5), note: 'gate code\u00001234' };
    const res = await sendShopifyWebhook(hook, order, { secret: SECRET });
    expect(res.status).toBe(202);
    const run = await until(async () => {
      const r = await server.ctx.runtime.runWithSteps(String(res.body['runId']));
      return r?.status === 'succeeded' ? r : undefined;
    }, { what: 'run to succeed' });
    expect((run.trigger as { note: string }).note).toBe('gate code\u00001234');
    expect(run.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded']);
  });
});

describe('a process that accepts but does not run (the scaled server)', () => {
  it('keeps nothing of the runs it accepted once they are durable and queued', async () => {
    // It used to keep each accepted run, trigger payload and all, for a worker of its own that never
    // came: up to 10,000 orders held in a server process's memory.
    const intake = await startTestServer({}, { worker: false });
    try {
      await intake.seed(orderFlow(target.url), [{ name: 'shopify-webhooks', connector: 'core', secrets: { webhookSecret: SECRET } }]);
      const refs: WeakRef<object>[] = [];
      const createRuns = intake.ctx.store.createRuns.bind(intake.ctx.store);
      intake.ctx.store.createRuns = async (items) => {
        const made = await createRuns(items);
        for (const m of made) refs.push(new WeakRef(m.run));
        return made;
      };
      for (let i = 0; i < 3; i++) expect((await sendShopifyWebhook(`${intake.url}/hooks/webhook-to-erp`, shopifyOrder(20 + i), { secret: SECRET })).status).toBe(202);
      expect(refs).toHaveLength(3);
      v8.setFlagsFromString('--expose-gc');
      const gc = vm.runInNewContext('gc') as () => void;
      await new Promise((r) => setTimeout(r, 0));
      gc();
      expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
    } finally {
      await intake.stop();
    }
  });
});

describe('sync response mode', () => {
  const syncFlow = (id: string, nodes: unknown[], trigger: Record<string, unknown> = {}) =>
    server.seed({
      schemaVersion: 1,
      id,
      name: id,
      trigger: 'in',
      nodes: [{ id: 'in', type: 'core.webhook', config: { signature: 'none', responseMode: 'sync', ...trigger } }, ...(nodes as never[])],
      edges: nodes.map((n, i) => ({ from: i === 0 ? 'in' : (nodes[i - 1] as { id: string }).id, to: (n as { id: string }).id })),
    } as never);
  const post = (id: string, body: unknown) => fetch(`${server.url}/hooks/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it("answers with the respond step's status, headers and body, but never with this origin's cookies or an unsandboxed page", async () => {
    await syncFlow('sync-respond', [
      { id: 'answer', type: 'core.respond', config: { status: 201, headers: { 'x-order': { $expr: 'name' }, 'set-cookie': 'trb_session=evil; Path=/', 'content-type': 'text/html' }, body: { $expr: '"<b>" & name & "</b>"' } } },
    ]);
    const res = await post('sync-respond', { name: '#S1' });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-order')).toBe('#S1');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('content-security-policy')).toMatch(/^sandbox/);
    expect(await res.text()).toBe('<b>#S1</b>');
  });

  it('answers 500 RUN_FAILED with the run id when the run fails before any respond step', async () => {
    await syncFlow('sync-fails', [{ id: 'check', type: 'core.map', config: { expression: '$error("no stock for " & name)' } }]);
    const res = await post('sync-fails', { name: '#S2' });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string }; runId: string; status: string };
    expect(body).toMatchObject({ error: { code: 'RUN_FAILED' }, status: 'failed' });
    expect(body.error.message).toContain('no stock for #S2');
    expect((await server.ctx.store.getRun(body.runId))?.status).toBe('failed');
  });

  it('answers 500 when the run is cancelled while the caller waits, without saying who cancelled it', async () => {
    await syncFlow('sync-cancelled', [{ id: 'wait', type: 'core.delay', config: { ms: 3000 } }], { syncTimeoutMs: 10_000 });
    const pending = post('sync-cancelled', { name: '#S4' });
    const run = await until(async () => (await server.ctx.store.listRuns({ flowId: 'sync-cancelled' })).items[0], { what: 'the run to be accepted' });
    await server.ctx.runtime.cancelRun(run.id, 'Ops <ops@northwind.example>');
    const res = await pending;
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'RUN_FAILED', message: "the flow's run was cancelled: RUN_CANCELLED" }, runId: run.id, status: 'cancelled' });
  });

  it('falls back to 202 with the run id when the flow takes longer than the sync timeout, and the run still finishes', async () => {
    await syncFlow('sync-slow', [{ id: 'wait', type: 'core.delay', config: { ms: 1500 } }], { syncTimeoutMs: 200 });
    const res = await post('sync-slow', { name: '#S3' });
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    await until(async () => (await server.ctx.store.getRun(runId))?.status === 'succeeded', { what: 'slow run to succeed' });
  });
});
