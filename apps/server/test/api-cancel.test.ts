import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueWorker } from '@tributary/queue';
import { deployFlow, echoFlow, fireWebhook, startHarness, type Client, type Harness } from './api-harness.ts';

/**
 * Cancelling runs that have not finished. The target is a local HTTP server: `/hang` answers only
 * when told to (so a step is in flight), `/ok` at once; it records every request and whether the
 * client went away before an answer.
 */
let h: Harness;
let admin: Client;
let analyst: Client;
let viewer: Client;
let worker: QueueWorker | undefined;
let target: Server;
const hits: Array<{ path: string; aborted: boolean }> = [];
const hanging: Array<() => void> = [];

beforeAll(async () => {
  target = createServer((req: IncomingMessage, res) => {
    const hit = { path: req.url ?? '', aborted: false };
    hits.push(hit);
    res.on('close', () => {
      if (!res.writableEnded) hit.aborted = true;
    });
    const answer = (): void => {
      if (!res.writableEnded && !res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    };
    if (req.url === '/hang') hanging.push(answer);
    else answer();
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', () => resolve()));
  const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  h = await startHarness();
  admin = await h.as('admin');
  analyst = await h.as('analyst');
  viewer = await h.as('viewer');
  expect((await admin.post('/api/v1/connections', { name: 'erp', connector: 'testkit', config: { baseUrl: targetUrl }, secrets: { token: 'erp-token' } })).status).toBe(201);
  // Flows: call the target, then (only if that finished) call it again from a second step.
  for (const [id, path] of [['hangs', '/hang'], ['quick', '/ok']] as const) {
    await deploy(
      echoFlow(id, {
        nodes: [
          { id: 'post', type: 'testkit.callApi', config: { connection: 'erp', url: path } },
          { id: 'after', type: 'testkit.callApi', config: { connection: 'erp', url: `/after-${id}` } },
        ],
        edges: [{ from: 'echo', to: 'post' }, { from: 'post', to: 'after' }],
      }),
    );
  }
  await deploy(echoFlow('down', { nodes: [{ id: 'erp', type: 'testkit.unavailable', config: {} }], edges: [{ from: 'echo', to: 'erp' }] }));
});
afterAll(async () => {
  for (const answer of hanging) answer();
  await worker?.close({ drain: false, timeoutMs: 1000 });
  await h?.close();
  await new Promise<void>((resolve) => target?.close(() => resolve()));
});

const deploy = (doc: ReturnType<typeof echoFlow>): Promise<void> => deployFlow(admin, doc);

const fire = (flowId: string, payload: unknown): Promise<string> => fireWebhook(h, flowId, payload);

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const settle = (ms = 300) => new Promise((res) => setTimeout(res, ms));

describe('cancelling a run', () => {
  it('skips a queued run when its job comes: nothing of it runs', async () => {
    const runId = await fire('quick', { order: 1 });
    expect((await h.ctx.store.getRun(runId))?.status).toBe('queued');
    const res = await admin.post(`/api/v1/runs/${runId}/cancel`, {});
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ run: { id: runId, status: 'cancelled', error: { code: 'RUN_CANCELLED', kind: 'user', retryable: false, message: `cancelled by admin <${admin.email}>` } } });

    worker = h.ctx.runtime.startWorker({ concurrency: 4 });
    await settle();
    expect(hits).toEqual([]);
    const run = await h.ctx.runtime.runWithSteps(runId);
    expect(run).toMatchObject({ status: 'cancelled' });
    expect(run?.finishedAt).toBeInstanceOf(Date);
    expect(run?.steps).toEqual([]);
    // Who did it is in the audit log.
    const audit = await admin.get(`/api/v1/audit?targetId=${runId}`);
    expect(audit.json).toMatchObject({ items: [{ action: 'run.cancel', targetType: 'run', targetId: runId, actorEmail: admin.email, details: { flowId: 'quick' } }] });
  });

  it('aborts the step in flight and runs nothing after it; the history keeps what ran', async () => {
    const runId = await fire('hangs', { order: 2 });
    await until(async () => (hits.some((x) => x.path === '/hang') ? true : undefined), 'the step to reach the target');
    const res = await admin.post(`/api/v1/runs/${runId}/cancel`, {});
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ run: { status: 'cancelled' } });
    // The request in flight is dropped by the client, not answered.
    await until(async () => (hits.find((x) => x.path === '/hang')?.aborted ? true : undefined), 'the request in flight to be aborted');
    await settle();
    const run = await h.ctx.runtime.runWithSteps(runId);
    expect(run).toMatchObject({ status: 'cancelled', error: { code: 'RUN_CANCELLED' } });
    expect(run?.steps.map((s) => s.nodeId)).toEqual(['echo', 'post']);
    expect(run?.steps.find((s) => s.nodeId === 'post')).toMatchObject({ status: 'failed', attempt: 1, error: { code: 'RUN_CANCELLED' } });
    expect(hits.map((x) => x.path)).not.toContain('/after-hangs');
  });

  it('stops a waiting run: it is not tried again', async () => {
    const runId = await fire('down', { order: 3 });
    await until(async () => ((await h.ctx.store.getRun(runId))?.status === 'waiting' ? true : undefined), 'the run to wait for its retry');
    const res = await admin.post(`/api/v1/runs/${runId}/cancel`, {});
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ run: { status: 'cancelled', error: { code: 'RUN_CANCELLED' } } });
    // Recovery after a restart leaves it alone: it is finished.
    expect((await h.ctx.store.unfinishedRuns()).map((r) => r.id)).not.toContain(runId);
  });

  it('refuses a finished run (409 naming its status), an unknown one (404), and anyone but an admin (403)', async () => {
    const runId = await fire('quick', { order: 4 });
    await until(async () => ((await h.ctx.store.getRun(runId))?.status === 'succeeded' ? true : undefined), 'the run to succeed');
    const done = await admin.post(`/api/v1/runs/${runId}/cancel`, {});
    expect(done.status).toBe(409);
    expect(done.json).toMatchObject({ error: { code: 'CONFLICT', message: `run ${runId} is succeeded: only a queued, running or waiting run can be cancelled`, details: { status: 'succeeded' } } });
    expect((await h.ctx.store.getRun(runId))?.status).toBe('succeeded');

    expect((await admin.post('/api/v1/runs/run_nope/cancel', {})).status).toBe(404);
    const queued = await fire('down', { order: 5 });
    // Stopping production work is an admin's call.
    for (const who of [viewer, analyst]) expect((await who.post(`/api/v1/runs/${queued}/cancel`, {})).status).toBe(403);
    // Twice: the second finds it cancelled.
    expect((await admin.post(`/api/v1/runs/${queued}/cancel`, {})).status).toBe(200);
    const again = await admin.post(`/api/v1/runs/${queued}/cancel`, {});
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error: { details: { status: 'cancelled' } } });
  });
});
