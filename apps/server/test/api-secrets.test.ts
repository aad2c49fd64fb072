import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueWorker } from '@tributary/queue';
import { startHarness, type Client, type Harness } from './api-harness.ts';

/**
 * A connection secret travels from the API to the target system and nowhere else: not into any
 * API response, log line, run or step row, or audit entry, and not in plaintext into the store.
 */
const SECRET = 'sk_live_4f9d2c7e1a8b3g6h5j0k';
const WRONG = 'sk_live_wrong_0000000000';
const NEW_SECRET = 'sk_live_rotated_99x88y77z';

let h: Harness;
let admin: Client;
let target: Server;
let targetUrl: string;
let worker: QueueWorker;
const seenAuth: string[] = [];

beforeAll(async () => {
  target = createServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    seenAuth.push(auth);
    if (auth !== `Bearer ${SECRET}` && auth !== `Bearer ${NEW_SECRET}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      // /echo is a careless vendor that repeats the credential in its error body.
      res.end(JSON.stringify({ error: req.url?.startsWith('/echo') ? `invalid token ${auth}` : 'invalid token' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ orders: [{ id: 1 }] }));
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/orders`;
  h = await startHarness();
  admin = await h.as('admin');
  worker = h.ctx.runtime.startWorker({ concurrency: 2 });
});
afterAll(async () => {
  await worker?.close({ drain: false, timeoutMs: 1000 });
  await h?.close();
  target?.close();
});

function flow(id: string, url = targetUrl) {
  return {
    schemaVersion: 1,
    id,
    name: `Secret flow ${id}`,
    trigger: 'in',
    nodes: [
      { id: 'in', type: 'testkit.hook', config: {} },
      { id: 'call', type: 'testkit.callApi', config: { connection: 'vendor', url } },
    ],
    edges: [{ from: 'in', to: 'call' }],
    settings: { priority: 'normal', concurrency: 2, timeoutMs: 30_000 },
  };
}

async function everythingStored(): Promise<string[]> {
  const rows: string[] = [];
  for (const r of (await h.ctx.store.listRuns({ limit: 500 })).items) {
    rows.push(JSON.stringify(r));
    rows.push(JSON.stringify(await h.ctx.store.listSteps(r.id, { full: true })));
  }
  rows.push(JSON.stringify((await h.ctx.store.listAudit({ limit: 500 })).items));
  rows.push(JSON.stringify(await h.ctx.store.listConnections()));
  rows.push(JSON.stringify(await h.ctx.store.listSettings()));
  return rows;
}

async function waitForRun(runId: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const r = await h.ctx.store.getRun(runId);
    if (r?.finishedAt) return r.status;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`run ${runId} did not finish`);
}

describe('connection secrets', () => {
  it('are write-only, encrypted at rest, used by runs, and never leak', async () => {
    const created = await admin.post('/api/v1/connections', { name: 'vendor', connector: 'testkit', config: { baseUrl: new URL(targetUrl).origin }, secrets: { token: SECRET } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'vendor', secretFields: ['token'], hasSecret: true });
    const connId = (created.json as { id: string }).id;

    const stored = await h.ctx.store.getConnection(connId);
    expect(stored?.secretCiphertext).toMatch(new RegExp(`^v1:${h.ctx.secrets.keyId}:`));
    expect(stored?.secretCiphertext).not.toContain(SECRET);
    expect(h.ctx.secrets.decrypt(stored!.secretCiphertext!)).toEqual({ token: SECRET });

    // a secret field the connector does not have, and a secret put in config, are refused
    const wrongField = await admin.post('/api/v1/connections', { name: 'vendor2', connector: 'testkit', config: { token: SECRET }, secrets: { password: 'x' } });
    expect(wrongField.status).toBe(400);
    expect((wrongField.json as { error: { details: Array<{ path: string }> } }).error.details.map((d) => d.path).sort()).toEqual(['body.config.token', 'body.secrets.password', 'body.secrets.token']);

    // test run through the API
    expect((await admin.post('/api/v1/flows', { draft: flow('secret-flow') })).status).toBe(201);
    const test = await admin.post('/api/v1/flows/secret-flow/test', { payload: { hello: 'world' } });
    expect(test.status).toBe(200);
    expect(test.json).toMatchObject({ run: { status: 'succeeded', steps: expect.arrayContaining([expect.objectContaining({ nodeId: 'call', output: { status: 200, body: { orders: [{ id: 1 }] } } })]) } });

    // production run through the webhook and the queue
    expect((await admin.post('/api/v1/flows/secret-flow/publish', {})).status).toBe(201);
    expect((await admin.post('/api/v1/flows/secret-flow/enable', {})).status).toBe(200);
    const hook = await fetch(`${h.url}/hooks/secret-flow`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"order":7}' });
    expect(hook.status).toBe(202);
    const { runId } = (await hook.json()) as { runId: string };
    expect(await waitForRun(runId)).toBe('succeeded');

    // a wrong secret: the vendor echoes it back in its error body
    const put = await admin.put(`/api/v1/connections/${connId}`, { secrets: { token: WRONG } });
    expect(put.status).toBe(200);
    const failing = await admin.post('/api/v1/flows/secret-flow/test', { payload: {} });
    expect((failing.json as { run: { status: string } }).run.status).toBe('failed');
    const hook2 = await fetch(`${h.url}/hooks/secret-flow`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"order":8}' });
    const run2 = ((await hook2.json()) as { runId: string }).runId;
    expect(await waitForRun(run2)).toBe('failed');

    // a config-only change keeps the stored secret; a new secret replaces it
    const renamed = await admin.put(`/api/v1/connections/${connId}`, { name: 'vendor' });
    expect(renamed.json).toMatchObject({ hasSecret: true });
    expect(h.ctx.secrets.decrypt((await h.ctx.store.getConnection(connId))!.secretCiphertext!)).toEqual({ token: WRONG });
    await admin.put(`/api/v1/connections/${connId}`, { secrets: { token: NEW_SECRET } });
    const ok = await admin.post('/api/v1/flows/secret-flow/test', { payload: {} });
    expect((ok.json as { run: { status: string } }).run.status).toBe('succeeded');

    // the target saw every credential, so the search below is meaningful
    expect(seenAuth).toEqual(expect.arrayContaining([`Bearer ${SECRET}`, `Bearer ${WRONG}`, `Bearer ${NEW_SECRET}`]));

    // read everything the API offers about runs, connections and audit
    await admin.get('/api/v1/connections');
    await admin.get(`/api/v1/connections/${connId}`);
    const runs = (await admin.get('/api/v1/runs?limit=500')).json as { items: Array<{ id: string }> };
    expect(runs.items.length).toBeGreaterThanOrEqual(5);
    for (const r of runs.items) expect((await admin.get(`/api/v1/runs/${r.id}`)).status).toBe(200);
    await admin.get('/api/v1/failures');
    await admin.get('/api/v1/audit?limit=500');
    await admin.get('/api/v1/kpis');
    await admin.get('/api/v1/flows/secret-flow');

    const rows = await everythingStored();

    const logText = h.logs.join('\n');
    expect(logText).toContain('called the API');
    for (const s of [SECRET, WRONG, NEW_SECRET]) {
      for (const body of h.bodies) expect(body).not.toContain(s);
      expect(logText).not.toContain(s);
      for (const row of rows) expect(row).not.toContain(s);
    }
    expect(h.bodies.length).toBeGreaterThan(15);
  });

  // The SDK keeps a vendor's error body on the step error, so a vendor that echoes the credential would
  // put it into the run record; the runtime redacts the secrets it resolved for a run from every record.
  it('stay out of run records even when the vendor echoes them back', async () => {
    await admin.post('/api/v1/connections', { name: 'echoer', connector: 'testkit', config: { baseUrl: new URL(targetUrl).origin }, secrets: { token: WRONG } });
    const doc = flow('echo-flow', targetUrl.replace('/orders', '/echo'));
    doc.nodes[1]!.config = { connection: 'echoer', url: targetUrl.replace('/orders', '/echo') };
    expect((await admin.post('/api/v1/flows', { draft: doc })).status).toBe(201);
    const res = await admin.post('/api/v1/flows/echo-flow/test', { payload: {} });
    expect((res.json as { run: { status: string } }).run.status).toBe('failed');
    expect(seenAuth).toContain(`Bearer ${WRONG}`);
    expect(res.text).not.toContain(WRONG);
    for (const row of await everythingStored()) expect(row).not.toContain(WRONG);
  });
});
