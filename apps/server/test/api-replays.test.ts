import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueWorker } from '@tributary/queue';
import { deployFlow, echoFlow, fireWebhook, startHarness, type Client, type Harness } from './api-harness.ts';

/**
 * Retries and replays racing each other: what reaches the target is what counts. The target is a
 * local HTTP server that refuses (400) while `broken`, and counts every request it gets.
 */
let h: Harness;
let admin: Client;
let analyst: Client;
let worker: QueueWorker;
let target: Server;
let targetUrl = '';
const hits: string[] = [];
let broken = true;

beforeAll(async () => {
  target = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(broken ? 400 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(broken ? { message: 'customer number is invalid' } : { ok: true }));
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', () => resolve()));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  h = await startHarness();
  admin = await h.as('admin');
  analyst = await h.as('analyst');
  worker = h.ctx.runtime.startWorker({ concurrency: 8 });
  expect((await admin.post('/api/v1/connections', { name: 'erp', connector: 'testkit', config: { baseUrl: targetUrl }, secrets: { token: 'erp-token' } })).status).toBe(201);
});
afterAll(async () => {
  await worker?.close({ drain: false, timeoutMs: 1000 });
  await h?.close();
  await new Promise<void>((resolve) => target?.close(() => resolve()));
});

const deploy = (doc: ReturnType<typeof echoFlow>): Promise<void> => deployFlow(admin, doc);

async function finished(runId: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const r = await h.ctx.store.getRun(runId);
    if (r?.finishedAt) return r.status;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`run ${runId} did not finish`);
}

const fire = (flowId: string, payload: unknown): Promise<string> => fireWebhook(h, flowId, payload);

async function settle(): Promise<void> {
  // Every run of the harness's store finished: nothing more can reach the target.
  for (let i = 0; i < 400; i++) {
    if ((await h.ctx.store.unfinishedRuns()).length === 0) return;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error('runs did not finish');
}

type Results = { results: Array<{ runId: string; ok: boolean; newRunId?: string; error?: { code: string; message: string } }> };

describe('retrying a failure', () => {
  it('of concurrent retries of one failure exactly one sends to the target; the others start nothing', async () => {
    await deploy(echoFlow('to-erp', { nodes: [{ id: 'post', type: 'testkit.callApi', config: { connection: 'erp', url: `${targetUrl}/orders` } }], edges: [{ from: 'echo', to: 'post' }] }));
    broken = true;
    const runId = await fire('to-erp', { order: 1001 });
    expect(await finished(runId)).toBe('failed');
    expect(hits, JSON.stringify((await h.ctx.store.getRun(runId))?.error)).toHaveLength(1);

    broken = false;
    const answers = await Promise.all([0, 1, 2, 3].map(() => analyst.post('/api/v1/failures/retry', { runIds: [runId] })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const results = answers.map((a) => (a.json as Results).results[0]!);
    const won = results.filter((r) => r.ok);
    expect(won).toHaveLength(1);
    for (const lost of results.filter((r) => !r.ok)) {
      expect(lost.error).toMatchObject({ code: 'CONFLICT' });
      expect(lost.error?.message).toContain(`run ${runId} is resolved, not failed`);
    }
    await settle();
    expect(hits).toHaveLength(2);
    expect(await finished(won[0]!.newRunId!)).toBe('succeeded');
    expect((await h.ctx.store.listRuns({ flowId: 'to-erp' })).items.filter((r) => r.replayOf === runId).map((r) => r.id)).toEqual([won[0]!.newRunId]);
    expect((await h.ctx.store.getRun(runId))?.status).toBe('resolved');
    const audit = (await admin.get(`/api/v1/audit?action=run.retry&targetId=${runId}`)).json as { items: unknown[] };
    expect(audit.items).toHaveLength(1);
  });

  it('a retry that loses to a resolve starts nothing', async () => {
    broken = true;
    const runId = await fire('to-erp', { order: 1002 });
    expect(await finished(runId)).toBe('failed');
    broken = false;
    const before = hits.length;
    const [retry, resolve] = await Promise.all([analyst.post('/api/v1/failures/retry', { runIds: [runId] }), analyst.post('/api/v1/failures/resolve', { runIds: [runId] })]);
    const retried = (retry.json as Results).results[0]!;
    const resolved = (resolve.json as Results).results[0]!;
    // Both may not win: either the retry resolved it (and the resolve is refused) or the other way round.
    expect([retried.ok, resolved.ok].filter(Boolean)).toHaveLength(1);
    await settle();
    expect(hits.length - before).toBe(retried.ok ? 1 : 0);
  });
});

describe('replaying a run', () => {
  it('refuses a run still waiting, queued or running (409 naming the status) and starts nothing', async () => {
    await deploy(echoFlow('slow-erp', { nodes: [{ id: 'down', type: 'testkit.unavailable', config: {} }], edges: [{ from: 'echo', to: 'down' }] }));
    const runId = await fire('slow-erp', { order: 2001 });
    // The step asks to be tried again in a minute: the run waits.
    for (let i = 0; i < 200 && (await h.ctx.store.listSteps(runId)).length === 0; i++) await new Promise((res) => setTimeout(res, 25));
    expect((await h.ctx.store.getRun(runId))?.status).toBe('waiting');
    const waiting = await analyst.post(`/api/v1/runs/${runId}/replay`, {});
    expect(waiting.status).toBe(409);
    expect(waiting.json).toMatchObject({ error: { code: 'CONFLICT', message: `run ${runId} is waiting: only a finished run can be replayed; wait until it has finished`, details: { status: 'waiting' } } });

    await h.ctx.store.updateRun({ id: runId, status: 'queued' });
    const queued = await analyst.post(`/api/v1/runs/${runId}/replay`, {});
    expect(queued.status).toBe(409);
    expect(queued.json).toMatchObject({ error: { code: 'CONFLICT', message: `run ${runId} is queued: only a finished run can be replayed; wait until it has finished`, details: { status: 'queued' } } });

    await h.ctx.store.updateRun({ id: runId, status: 'running' });
    const running = await Promise.all([0, 1, 2].map(() => analyst.post(`/api/v1/runs/${runId}/replay`, {})));
    expect(running.map((r) => r.status)).toEqual([409, 409, 409]);
    expect(running[0]!.json).toMatchObject({ error: { code: 'CONFLICT', details: { status: 'running' } } });
    expect((await h.ctx.store.listRuns({ flowId: 'slow-erp' })).items.map((r) => r.id)).toEqual([runId]);
    await h.ctx.store.updateRun({ id: runId, status: 'cancelled', finishedAt: new Date() });
  });

  it('replays a succeeded run on purpose, with the original event', async () => {
    broken = false;
    const runId = await fire('to-erp', { order: 3001 });
    expect(await finished(runId), JSON.stringify((await h.ctx.store.getRun(runId))?.error)).toBe('succeeded');
    const res = await analyst.post(`/api/v1/runs/${runId}/replay`, {});
    expect(res.status).toBe(202);
    const { run } = res.json as { run: { id: string; replayOf: string } };
    expect(run.replayOf).toBe(runId);
    expect(await finished(run.id)).toBe('succeeded');
  });
});
