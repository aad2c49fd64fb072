import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueWorker } from '@tributary/queue';
import { deployFlow, echoFlow, fireWebhook, startHarness, type Client, type Harness } from './api-harness.ts';

let h: Harness;
let admin: Client;
let analyst: Client;
let viewer: Client;
let worker: QueueWorker;

beforeAll(async () => {
  h = await startHarness();
  admin = await h.as('admin');
  analyst = await h.as('analyst');
  viewer = await h.as('viewer');
  worker = h.ctx.runtime.startWorker({ concurrency: 4 });
});
afterAll(async () => {
  await worker?.close({ drain: false, timeoutMs: 1000 });
  await h?.close();
});

const deploy = (doc: ReturnType<typeof echoFlow>): Promise<void> => deployFlow(admin, doc);

async function fire(flowId: string, payload: unknown): Promise<string> {
  const runId = await fireWebhook(h, flowId, payload);
  for (let i = 0; i < 400; i++) {
    const r = await h.ctx.store.getRun(runId);
    if (r?.finishedAt) return runId;
    await new Promise((res2) => setTimeout(res2, 25));
  }
  throw new Error(`run ${runId} did not finish`);
}

const failing = (id: string) => echoFlow(id, { nodes: [{ id: 'bad', type: 'testkit.fail', config: {} }], edges: [{ from: 'echo', to: 'bad' }] });

describe('runs, failures and replays', () => {
  const ok: string[] = [];
  const failed: string[] = [];

  beforeAll(async () => {
    await deploy(echoFlow('orders', { priority: 'high' }));
    await deploy(failing('customers'));
    for (let i = 0; i < 3; i++) ok.push(await fire('orders', { n: i }));
    for (let i = 0; i < 3; i++) failed.push(await fire('customers', { n: i }));
  });

  it('lists runs with filters and keyset pages', async () => {
    const all = (await viewer.get('/api/v1/runs?test=false')).json as { items: Array<{ id: string; flowName: string; status: string }> };
    expect(all.items.map((r) => r.id).sort()).toEqual([...ok, ...failed].sort());
    const byFlow = (await viewer.get('/api/v1/runs?flowId=orders')).json as { items: Array<{ flowId: string; flowName: string; status: string }> };
    expect(byFlow.items).toHaveLength(3);
    expect(byFlow.items.every((r) => r.flowId === 'orders' && r.flowName === 'Flow orders' && r.status === 'succeeded')).toBe(true);
    expect(((await viewer.get('/api/v1/runs?status=failed,cancelled')).json as { items: unknown[] }).items).toHaveLength(3);

    const p1 = (await viewer.get('/api/v1/runs?limit=4')).json as { items: Array<{ id: string }>; nextCursor: string | null };
    expect(p1.items).toHaveLength(4);
    expect(p1.nextCursor).not.toBeNull();
    const p2 = (await viewer.get(`/api/v1/runs?limit=4&cursor=${encodeURIComponent(p1.nextCursor!)}`)).json as { items: Array<{ id: string }>; nextCursor: string | null };
    expect(p2.items).toHaveLength(2);
    expect(new Set([...p1.items, ...p2.items].map((r) => r.id)).size).toBe(6);
    expect((await viewer.get('/api/v1/runs?cursor=garbage')).status).toBe(400);

    const future = (await viewer.get(`/api/v1/runs?from=${new Date(Date.now() + 3600_000).toISOString()}`)).json as { items: unknown[] };
    expect(future.items).toEqual([]);

    const detail = (await viewer.get(`/api/v1/runs/${failed[0]}`)).json as { status: string; error: { code: string }; steps: Array<{ nodeId: string; status: string }> };
    expect(detail.status).toBe('failed');
    expect(detail.error.code).toBe('VALIDATION');
    expect(detail.steps.find((s) => s.nodeId === 'bad')?.status).toBe('failed');
    expect((await viewer.get('/api/v1/runs/run_nope')).status).toBe(404);
  });

  it('shows failed runs in the inbox with the failing node', async () => {
    const inbox = (await viewer.get('/api/v1/failures')).json as { items: Array<{ id: string; failedNode: string | null; flowName: string }> };
    expect(inbox.items.map((r) => r.id).sort()).toEqual([...failed].sort());
    expect(inbox.items.every((r) => r.failedNode === 'bad' && r.flowName === 'Flow customers')).toBe(true);
  });

  it('replays a run from a node (analysts may; viewers may not), reusing what ran before it', async () => {
    expect((await viewer.post(`/api/v1/runs/${failed[0]}/replay`, {})).status).toBe(403);
    const res = await analyst.post(`/api/v1/runs/${failed[0]}/replay`, { fromNode: 'bad', version: 'same' });
    expect(res.status).toBe(202);
    const { run } = res.json as { run: { id: string; replayOf: string; replayFromNode: string; status: string } };
    expect(run).toMatchObject({ replayOf: failed[0], replayFromNode: 'bad', status: 'queued' });
    for (let i = 0; i < 400 && !(await h.ctx.store.getRun(run.id))?.finishedAt; i++) await new Promise((r) => setTimeout(r, 25));
    const detail = (await admin.get(`/api/v1/runs/${run.id}`)).json as { status: string; steps: Array<{ nodeId: string; status: string }> };
    expect(detail.status).toBe('failed');
    expect(detail.steps.map((s) => s.nodeId)).toEqual(expect.arrayContaining(['echo', 'bad']));

    const invalid = await admin.post(`/api/v1/runs/${failed[0]}/replay`, { fromNode: 'notANode' });
    expect(invalid.status).toBe(422);
    expect(invalid.json).toMatchObject({ error: { code: 'REPLAY_INVALID' } });
    expect((await admin.post('/api/v1/runs/run_nope/replay', {})).status).toBe(404);
    const audit = (await admin.get(`/api/v1/audit?action=run.replay&targetId=${failed[0]}`)).json as { items: Array<{ details: { newRunId: string } }> };
    expect(audit.items[0]?.details.newRunId).toBe(run.id);
  });

  it('retries and resolves in bulk (analysts may; viewers may not), reporting per run', async () => {
    const replayFailures = ((await admin.get('/api/v1/failures')).json as { items: Array<{ id: string }> }).items.map((r) => r.id).filter((id) => !failed.includes(id));
    expect((await viewer.post('/api/v1/failures/retry', { runIds: [failed[1]] })).status).toBe(403);
    const retry = await analyst.post('/api/v1/failures/retry', { runIds: [failed[1], 'run_nope', ok[0]] });
    expect(retry.status).toBe(200);
    const results = (retry.json as { results: Array<{ runId: string; ok: boolean; newRunId?: string; error?: { code: string } }> }).results;
    expect(results[0]).toMatchObject({ runId: failed[1], ok: true, newRunId: expect.any(String) });
    expect(results[1]).toMatchObject({ runId: 'run_nope', ok: false, error: { code: 'RUN_NOT_FOUND' } });
    expect(results[2]).toMatchObject({ runId: ok[0], ok: false, error: { code: 'CONFLICT' } });
    expect((await h.ctx.store.getRun(failed[1]!))?.status).toBe('resolved');

    const resolve = await analyst.post('/api/v1/failures/resolve', { runIds: [failed[2], ...replayFailures] });
    expect((resolve.json as { results: Array<{ ok: boolean }> }).results.every((r) => r.ok)).toBe(true);
    const inbox = ((await viewer.get('/api/v1/failures')).json as { items: Array<{ id: string }> }).items.map((r) => r.id);
    expect(inbox).not.toContain(failed[1]);
    expect(inbox).not.toContain(failed[2]);
    expect(inbox).toContain(failed[0]);
  });

  it('computes the KPIs from the store', async () => {
    const conn = await admin.post('/api/v1/connections', { name: 'self', connector: 'testkit', config: { baseUrl: h.url }, secrets: { token: 'irrelevant-token' } });
    expect(conn.status).toBe(201);
    await deploy(echoFlow('health', { nodes: [{ id: 'call', type: 'testkit.callApi', config: { connection: 'self', url: `${h.url}/healthz` } }], edges: [{ from: 'echo', to: 'call' }] }));
    await fire('health', {});
    await fire('health', {});
    const res = await viewer.get('/api/v1/kpis');
    expect(res.status).toBe(200);
    const k = res.json as {
      orderProcessing: { flows: string[]; count: number; p50: number | null; p95: number | null; series: Array<{ count: number }> };
      syncSuccessRate: number;
      runs: Record<string, number>;
      failuresByCode: Array<{ code: string; count: number }>;
      connections: Array<{ name: string; status: string; steps: number; errorRate: number | null }>;
    };
    expect(k.orderProcessing.flows).toEqual(['orders']);
    expect(k.orderProcessing.count).toBe(3);
    expect(k.orderProcessing.p50).toEqual(expect.any(Number));
    expect(k.orderProcessing.p95! >= k.orderProcessing.p50!).toBe(true);
    expect(k.orderProcessing.series).toHaveLength(24);
    expect(k.orderProcessing.series.reduce((n, b) => n + b.count, 0)).toBe(3);
    const finished = k.runs['succeeded']! + k.runs['failed']! + k.runs['resolved']!;
    expect(k.syncSuccessRate).toBeCloseTo(k.runs['succeeded']! / finished);
    expect(k.runs['succeeded']).toBe(5);
    expect(k.failuresByCode).toEqual([{ code: 'VALIDATION', count: 5 }]);
    expect(k.connections).toEqual([expect.objectContaining({ name: 'self', status: 'healthy', steps: 2, errorRate: 0 })]);

    const later = (await viewer.get(`/api/v1/kpis?since=${new Date(Date.now() + 60_000).toISOString()}`)).json as { syncSuccessRate: number | null; orderProcessing: { p50: number | null } };
    expect(later.syncSuccessRate).toBeNull();
    expect(later.orderProcessing.p50).toBeNull();
  });
});

describe('connections', () => {
  it('refuses unknown connectors, duplicate names, missing required secrets and connector changes', async () => {
    const unknown = await admin.post('/api/v1/connections', { name: 'x', connector: 'nope', secrets: {} });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ error: { details: [{ path: 'body.connector' }] } });
    const missing = await admin.post('/api/v1/connections', { name: 'x', connector: 'testkit' });
    expect(missing.json).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: [{ path: 'body.secrets.token' }] } });
    expect((await admin.post('/api/v1/connections', { name: 'erp', connector: 'testkit', secrets: { token: 't1' } })).status).toBe(201);
    expect((await admin.post('/api/v1/connections', { name: 'erp', connector: 'testkit', secrets: { token: 't2' } })).status).toBe(409);
    const id = ((await admin.get('/api/v1/connections?connector=testkit')).json as { items: Array<{ id: string; name: string }> }).items.find((c) => c.name === 'erp')!.id;
    expect((await admin.put(`/api/v1/connections/${id}`, { connector: 'other' })).status).toBe(400);
    expect((await admin.put(`/api/v1/connections/${id}`, { secrets: { token: null } })).json).toMatchObject({ error: { details: [{ path: 'body.secrets.token' }] } });
    expect((await admin.put('/api/v1/connections/conn_nope', { name: 'y' })).status).toBe(404);
    expect((await admin.del(`/api/v1/connections/${id}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/connections/${id}`)).status).toBe(404);
    const actions = ((await admin.get(`/api/v1/audit?targetId=${id}`)).json as { items: Array<{ action: string; details: Record<string, unknown> }> }).items;
    expect(actions.map((a) => a.action)).toEqual(['connection.delete', 'connection.create']);
    expect(actions[1]!.details).toMatchObject({ secretFields: ['token'] });
  });

  it('lists the fields each connector takes', async () => {
    const res = (await viewer.get('/api/v1/connectors')).json as { items: Array<{ id: string; auth: { kind: string; secrets: Record<string, { type: string }> } | null }> };
    expect(res.items).toEqual([expect.objectContaining({ id: 'testkit', auth: expect.objectContaining({ kind: 'apiToken', secrets: { token: expect.objectContaining({ type: 'string', required: true }) } }) })]);
    const catalog = (await viewer.get('/api/v1/catalog')).json as { nodeTypes: Array<{ type: string }> };
    expect(catalog.nodeTypes.map((t) => t.type).sort()).toEqual(['testkit.callApi', 'testkit.echo', 'testkit.fail', 'testkit.hook', 'testkit.later', 'testkit.start', 'testkit.unavailable']);
  });
});

describe('users', () => {
  it('creates, changes and disables users, and keeps one admin', async () => {
    const created = await admin.post('/api/v1/users', { email: 'New.Person@Example.com', name: 'New Person', role: 'viewer', password: 'a long password' });
    expect(created.status).toBe(201);
    const u = created.json as { id: string; email: string; role: string };
    expect(u).toMatchObject({ email: 'new.person@example.com', role: 'viewer', disabled: false });
    expect(created.text).not.toMatch(/password/i);
    expect((await admin.post('/api/v1/users', { email: 'new.person@example.com', role: 'viewer', password: 'a long password' })).status).toBe(409);

    const promoted = await admin.patch(`/api/v1/users/${u.id}`, { role: 'analyst', name: 'Renamed' });
    expect(promoted.json).toMatchObject({ role: 'analyst', name: 'Renamed' });
    const list = (await admin.get('/api/v1/users')).json as { items: Array<{ id: string }> };
    expect(list.items.map((x) => x.id)).toContain(u.id);
    expect((await admin.get(`/api/v1/users/${u.id}`)).json).toMatchObject({ role: 'analyst' });
    expect((await admin.patch('/api/v1/users/user_nope', { role: 'viewer' })).status).toBe(404);

    // the new password works, the old one does not
    await admin.patch(`/api/v1/users/${u.id}`, { password: 'another long one' });
    const bad = await h.anonymous().request('POST', '/api/v1/auth/login', { body: { email: u.email, password: 'a long password' }, headers: { 'x-forwarded-for': '10.7.0.1' } });
    expect(bad.status).toBe(401);
    const good = await h.anonymous().request('POST', '/api/v1/auth/login', { body: { email: u.email, password: 'another long one' }, headers: { 'x-forwarded-for': '10.7.0.2' } });
    expect(good.status).toBe(200);

    const audit = ((await admin.get(`/api/v1/audit?targetType=user&targetId=${u.id}`)).json as { items: Array<{ action: string; details: Record<string, unknown> }> }).items;
    expect(audit.map((a) => a.action)).toEqual(['auth.login', 'auth.login_failed', 'user.update', 'user.update', 'user.create']);
    expect(audit[3]!.details).toMatchObject({ changes: { role: { from: 'viewer', to: 'analyst' } } });
    expect(JSON.stringify(audit)).not.toContain('another long one');
  });

  it('refuses to demote or disable the last active admin', async () => {
    const h2 = await startHarness();
    try {
      const only = await h2.as('admin');
      const demote = await only.patch(`/api/v1/users/${only.userId}`, { role: 'viewer' });
      expect(demote.status).toBe(409);
      expect(demote.json).toMatchObject({ error: { code: 'LAST_ADMIN' } });
      expect((await only.patch(`/api/v1/users/${only.userId}`, { disabled: true })).status).toBe(409);
      const second = await h2.as('admin');
      expect((await second.patch(`/api/v1/users/${only.userId}`, { disabled: true })).status).toBe(200);
    } finally {
      await h2.close();
    }
  });

  it('keeps one admin when two admins are demoted or disabled at the same moment', async () => {
    const h2 = await startHarness();
    try {
      for (const [changeA, changeB] of [
        [{ role: 'viewer' }, { role: 'viewer' }],
        [{ disabled: true }, { role: 'analyst' }],
      ] as const) {
        const [a, b] = [await h2.as('admin'), await h2.as('admin')];
        // Only these two are active admins: the admins of the previous round are gone by now except one, which is demoted here without a race.
        const users = (await a.get('/api/v1/users')).json as { items: Array<{ id: string; role: string; disabled: boolean }> };
        for (const u of users.items) if (u.role === 'admin' && !u.disabled && u.id !== a.userId && u.id !== b.userId) expect((await a.patch(`/api/v1/users/${u.id}`, { role: 'viewer' })).status).toBe(200);
        const replies = await Promise.all([a.patch(`/api/v1/users/${a.userId}`, changeA), b.patch(`/api/v1/users/${b.userId}`, changeB)]);
        expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
        expect(replies.find((r) => r.status === 409)?.json).toMatchObject({ error: { code: 'LAST_ADMIN' } });
        expect(await h2.ctx.store.countUsers({ role: 'admin' })).toBe(1);
      }
    } finally {
      await h2.close();
    }
  });
});

describe('audit', () => {
  it('filters and pages, newest first, with who, what, when and from where', async () => {
    const p1 = (await admin.get('/api/v1/audit?limit=3')).json as { items: Array<{ at: string; actor: string; ip: string | null }>; nextCursor: string };
    expect(p1.items).toHaveLength(3);
    expect(Date.parse(p1.items[0]!.at)).toBeGreaterThanOrEqual(Date.parse(p1.items[2]!.at));
    const p2 = (await admin.get(`/api/v1/audit?limit=3&cursor=${encodeURIComponent(p1.nextCursor)}`)).json as { items: unknown[] };
    expect(p2.items).toHaveLength(3);
    const publishes = (await admin.get('/api/v1/audit?action=flow.publish')).json as { items: Array<{ action: string; actorEmail: string; ip: string; targetId: string }> };
    expect(publishes.items.length).toBeGreaterThanOrEqual(3);
    expect(publishes.items.every((a) => a.action === 'flow.publish' && a.actorEmail === admin.email && a.ip !== null)).toBe(true);
    const me = (await admin.get(`/api/v1/audit?actor=${admin.userId}&action=auth.login`)).json as { items: unknown[] };
    expect(me.items).toHaveLength(1);
  });
});
