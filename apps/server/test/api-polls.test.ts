import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createHttpClient, defineConnector, defineTrigger, prop, type Connector, type JsonValue } from '@tributary/connector-sdk';
import type { QueueWorker } from '@tributary/queue';
import { startHarness, testkit, type Client, type Harness } from './api-harness.ts';

/**
 * A poll trigger whose target fails: the failure must show where admins look (run history, failure
 * inbox, connection health, a metric, a warn log line) while the watermark stays put.
 */
const tokenAuth = auth.apiToken({ props: { baseUrl: prop.string({ label: 'Base URL' }) } });
const pollkit: Connector = defineConnector({
  id: 'pollkit',
  label: 'Poll kit',
  description: 'a poll trigger for server tests',
  auth: tokenAuth,
  actions: [],
  triggers: [
    defineTrigger({
      name: 'changes',
      label: 'Changes',
      description: 'GET path?since=<watermark>: { items, next }',
      source: 'poll',
      props: { connection: prop.connection({ label: 'Connection', connector: 'pollkit', required: true }), path: prop.string({ label: 'Path', required: true }) },
      async poll(ctx) {
        const baseUrl = String(ctx.connection?.config['baseUrl'] ?? '');
        const client = createHttpClient({ baseUrl, auth: tokenAuth, connection: ctx.connection, services: ctx, signal: ctx.signal });
        const res = await client.request({ method: 'GET', path: `${ctx.props.path}?since=${String(ctx.watermark ?? 0)}` });
        const body = res.body as { items: JsonValue[]; next: number };
        return { items: body.items, watermark: body.next };
      },
    }),
  ],
});

let h: Harness;
let admin: Client;
let analyst: Client;
let worker: QueueWorker;
let target: Server;
let answer: { status: number; body: unknown } = { status: 401, body: { message: 'token expired' } };
let ticks = 0;
let requests = 0;

beforeAll(async () => {
  target = createServer((_req, res) => {
    requests++;
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', () => resolve()));
  h = await startHarness({ connectors: [testkit, pollkit] });
  admin = await h.as('admin');
  analyst = await h.as('analyst');
  worker = h.ctx.runtime.startWorker({ concurrency: 4 });
  const baseUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  expect((await admin.post('/api/v1/connections', { name: 'bc', connector: 'pollkit', config: { baseUrl }, secrets: { token: 'bc-secret-token' } })).status).toBe(201);
  const draft = {
    schemaVersion: 1,
    id: 'inventory',
    name: 'Inventory sync',
    trigger: 'in',
    nodes: [
      { id: 'in', type: 'pollkit.changes', config: { connection: 'bc', path: '/changes', intervalMinutes: 60 } },
      { id: 'echo', type: 'testkit.echo', config: {} },
    ],
    edges: [{ from: 'in', to: 'echo' }],
    settings: { priority: 'low', concurrency: 2, timeoutMs: 60_000 },
    layout: {},
  };
  expect((await admin.post('/api/v1/flows', { draft })).status).toBe(201);
  expect((await admin.post('/api/v1/flows/inventory/publish', {})).status).toBe(201);
  expect((await admin.post('/api/v1/flows/inventory/enable', {})).status).toBe(200);
});
afterAll(async () => {
  await worker?.close({ drain: false, timeoutMs: 1000 });
  await h?.close();
  await new Promise<void>((resolve) => target?.close(() => resolve()));
});

/** One tick of the flow's schedule, as the scheduler would queue it; resolves once `done` holds. */
async function tick(done: () => Promise<boolean>): Promise<void> {
  await h.ctx.queue.add({ id: `tick-${++ticks}`, flowId: 'inventory', data: { kind: 'schedule', flowId: 'inventory' }, priority: 'low' });
  for (let i = 0; i < 400; i++) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the poll did not finish: ${h.logs.filter((l) => /warn|error|"level":[45]/.test(l)).slice(-5).join('')}`);
}

/** Resolves once the poll-failure metric for `code` reached `n`. */
const failuresReach = (code: string, n: number) => async () => (await pollFailures(code)) >= n;

type Inbox = { items: Array<{ id: string; flowId: string; status: string; triggerKind: string; failedNode: string | null; error: { code: string; message: string } }> };

async function pollFailures(code: string): Promise<number> {
  return (await h.ctx.metrics.pollFailures.get()).values.find((v) => v.labels['flow'] === 'inventory' && v.labels['code'] === code)?.value ?? 0;
}

describe('a poll trigger whose target fails', () => {
  let failedRun = '';

  it('shows the failure in the run history and the inbox, with its code and the trigger as the failed step', async () => {
    await tick(failuresReach('AUTH_INVALID', 1));
    const inbox = (await admin.get('/api/v1/failures?flowId=inventory')).json as Inbox;
    expect(inbox.items).toHaveLength(1);
    const item = inbox.items[0]!;
    expect(item).toMatchObject({ flowId: 'inventory', status: 'failed', triggerKind: 'poll', failedNode: 'in', error: { code: 'AUTH_INVALID' } });
    expect(item.error.message).toContain('token expired');
    failedRun = item.id;
    const detail = (await admin.get(`/api/v1/runs/${failedRun}`)).json as { steps: Array<{ nodeId: string; status: string; error: { code: string } }> };
    expect(detail.steps).toEqual([expect.objectContaining({ nodeId: 'in', status: 'failed', error: expect.objectContaining({ code: 'AUTH_INVALID' }) })]);
    // Nothing was accepted and the watermark did not move.
    expect((await h.ctx.store.listRuns({ flowId: 'inventory' })).items.map((r) => r.id)).toEqual([failedRun]);
    expect(await h.ctx.store.getState('inventory', 'watermark:in')).toBeNull();
  });

  it('logs a warn line, counts a metric and updates the connection health', async () => {
    const line = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['msg']?.toString().startsWith('poll failed'));
    expect(line).toMatchObject({ level: 40, flowId: 'inventory', trigger: 'in', code: 'AUTH_INVALID', runId: failedRun });
    expect(String(line?.['message'])).toContain('token expired');
    expect(await pollFailures('AUTH_INVALID')).toBe(1);
    const metrics = await h.ctx.metrics.registry.metrics();
    expect(metrics).toContain('tributary_poll_failures_total{flow="inventory",code="AUTH_INVALID"} 1');
    const kpis = (await admin.get('/api/v1/kpis')).json as { connections: Array<{ name: string; status: string; lastError: { code: string; nodeId: string; flowId: string } | null }> };
    expect(kpis.connections.find((c) => c.name === 'bc')).toMatchObject({ status: 'failing', lastError: { code: 'AUTH_INVALID', flowId: 'inventory', nodeId: 'in' } });
    expect(h.logs.join('\n')).not.toContain('bc-secret-token');
  });

  it('adds later failures of the streak to the same run instead of flooding the history', async () => {
    answer = { status: 403, body: { message: 'the token has no access to items' } };
    await tick(failuresReach('AUTH_FORBIDDEN', 1));
    const runs = (await h.ctx.store.listRuns({ flowId: 'inventory' })).items;
    expect(runs.map((r) => r.id)).toEqual([failedRun]);
    expect(runs[0]).toMatchObject({ attempt: 2, error: { code: 'AUTH_FORBIDDEN' } });
    expect((await h.ctx.store.listSteps(failedRun)).map((s) => [s.attempt, s.error?.code])).toEqual([[1, 'AUTH_INVALID'], [2, 'AUTH_FORBIDDEN']]);
    expect(await pollFailures('AUTH_FORBIDDEN')).toBe(1);
    // One request per tick: the queue does not poll a failing target again (the next tick does).
    await new Promise((r) => setTimeout(r, 1200));
    expect(requests).toBe(2);
  });

  it('refuses to replay or retry a failed poll: there is no event to send again', async () => {
    const replay = await analyst.post(`/api/v1/runs/${failedRun}/replay`, {});
    expect(replay.status).toBe(422);
    expect(replay.json).toMatchObject({ error: { code: 'REPLAY_INVALID' } });
    const retry = (await analyst.post('/api/v1/failures/retry', { runIds: [failedRun] })).json as { results: Array<{ ok: boolean; error?: { code: string } }> };
    expect(retry.results[0]).toMatchObject({ ok: false, error: { code: 'REPLAY_INVALID' } });
    expect((await h.ctx.store.getRun(failedRun))?.status).toBe('failed');
  });

  it('ends the streak when a poll works again: items become runs and the watermark advances', async () => {
    answer = { status: 200, body: { items: [{ id: 'item-1', updatedAt: '2026-01-01' }], next: 7 } };
    await tick(async () => (await h.ctx.store.getState('inventory', 'watermark:in'))?.value === 7);
    expect((await h.ctx.store.getState('inventory', 'watermark:in'))?.value).toBe(7);
    expect(await h.ctx.store.getState('inventory', 'pollFailing:in')).toBeNull();
    const runs = (await h.ctx.store.listRuns({ flowId: 'inventory' })).items;
    expect(runs).toHaveLength(2);
    expect(runs.find((r) => r.id !== failedRun)).toMatchObject({ triggerKind: 'poll', trigger: { id: 'item-1', updatedAt: '2026-01-01' } });

    // A new failure after that is a new streak: a new run.
    answer = { status: 401, body: { message: 'token expired again' } };
    await tick(failuresReach('AUTH_INVALID', 2));
    const inbox = (await admin.get('/api/v1/failures?flowId=inventory')).json as Inbox;
    expect(inbox.items.map((r) => r.id)).toHaveLength(2);
    expect(inbox.items[0]).toMatchObject({ triggerKind: 'poll', error: { code: 'AUTH_INVALID' } });
    expect(inbox.items[0]!.id).not.toBe(failedRun);
    expect((await h.ctx.store.getState('inventory', 'watermark:in'))?.value).toBe(7);
  });

  it('opens a new run when the streak run was resolved', async () => {
    const current = ((await admin.get('/api/v1/failures?flowId=inventory')).json as Inbox).items.map((r) => r.id);
    expect((await analyst.post('/api/v1/failures/resolve', { runIds: current })).status).toBe(200);
    await tick(failuresReach('AUTH_INVALID', 3));
    const inbox = (await admin.get('/api/v1/failures?flowId=inventory')).json as Inbox;
    expect(inbox.items).toHaveLength(1);
    expect(current).not.toContain(inbox.items[0]!.id);
  });
});
