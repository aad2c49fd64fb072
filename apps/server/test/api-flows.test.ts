import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoFlow, startHarness, type Client, type Harness } from './api-harness.ts';
import { auditOut, flowOut, listOf, pageOf, runDetailOut, versionSummaryOut } from '../src/api/schemas.ts';
import { allConnectors } from '../src/runtime/connectors.ts';

let h: Harness;
let admin: Client;
let analyst: Client;

beforeAll(async () => {
  h = await startHarness();
  admin = await h.as('admin');
  analyst = await h.as('analyst');
});
afterAll(async () => {
  await h?.close();
});

describe('flows', () => {
  it('creates, reads, lists and saves drafts with optimistic concurrency', async () => {
    const created = await analyst.post('/api/v1/flows', { draft: echoFlow('orders') });
    expect(created.status).toBe(201);
    const flow = flowOut.parse(created.json);
    expect(flow).toMatchObject({ id: 'orders', name: 'Flow orders', enabled: false, currentVersion: null, rev: expect.any(Number) });

    const list = await analyst.get('/api/v1/flows');
    expect((list.json as { items: Array<{ id: string }> }).items.map((f) => f.id)).toContain('orders');

    const saved = await analyst.put('/api/v1/flows/orders', { draft: { ...echoFlow('orders'), name: 'Orders to ERP' }, rev: flow.rev });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ name: 'Orders to ERP', rev: flow.rev + 1 });

    const stale = await analyst.put('/api/v1/flows/orders', { draft: echoFlow('orders'), rev: flow.rev });
    expect(stale.status).toBe(409);
    expect(stale.json).toMatchObject({ error: { code: 'FLOW_REV_CONFLICT', details: { currentRev: flow.rev + 1 } } });

    const dup = await analyst.post('/api/v1/flows', { draft: echoFlow('orders') });
    expect(dup.status).toBe(409);

    const generated = await analyst.post('/api/v1/flows', { draft: { name: 'No id yet' } });
    expect(generated.status).toBe(201);
    expect((generated.json as { id: string }).id).toMatch(/^flw_/);
    expect((generated.json as { draft: { id: string } }).draft.id).toBe((generated.json as { id: string }).id);

    const wrongId = await analyst.put('/api/v1/flows/orders', { draft: echoFlow('other'), rev: flow.rev + 1 });
    expect(wrongId.status).toBe(400);
    expect(wrongId.json).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: [{ path: 'body.draft.id' }] } });

    expect((await analyst.get('/api/v1/flows/nope')).status).toBe(404);
  });

  it('validates drafts with every issue, and refuses to publish while errors remain', async () => {
    const broken = echoFlow('broken', { nodes: [{ id: 'ghost', type: 'testkit.nope', config: {} }, { id: 'expr', type: 'testkit.echo', config: { note: { $expr: '$trigger.(' } } }], edges: [{ from: 'echo', to: 'expr' }] });
    expect((await analyst.post('/api/v1/flows', { draft: broken })).status).toBe(201);
    const v = await analyst.post('/api/v1/flows/broken/validate', {});
    expect(v.status).toBe(200);
    const codes = (v.json as { issues: Array<{ code: string }> }).issues.map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['FLOW_UNKNOWN_NODE_TYPE', 'FLOW_UNREACHABLE_NODE', 'FLOW_EXPRESSION_SYNTAX']));

    const unsaved = await analyst.post('/api/v1/flows/broken/validate', { draft: echoFlow('broken') });
    expect((unsaved.json as { issues: Array<{ severity?: string }> }).issues.filter((i) => i.severity !== 'warning')).toEqual([]);

    const pub = await admin.post('/api/v1/flows/broken/publish', {});
    expect(pub.status).toBe(422);
    expect(pub.json).toMatchObject({ error: { code: 'FLOW_INVALID', details: { issues: expect.arrayContaining([expect.objectContaining({ code: 'FLOW_UNKNOWN_NODE_TYPE' })]) } } });
    expect((await admin.get('/api/v1/flows/broken/versions')).json).toEqual({ items: [] });
  });

  it('publishes versions, diffs them, rolls back, enables and disables', async () => {
    await admin.post('/api/v1/flows', { draft: echoFlow('sync') });
    const p1 = await admin.post('/api/v1/flows/sync/publish', { note: 'first' });
    expect(p1.status).toBe(201);
    expect(versionSummaryOut.parse(p1.json)).toMatchObject({ version: 1, note: 'first' });

    const cur = flowOut.parse((await admin.get('/api/v1/flows/sync')).json);
    const changed = echoFlow('sync', { nodes: [{ id: 'more', type: 'testkit.echo', config: { note: 'added' } }], edges: [{ from: 'echo', to: 'more' }] });
    expect((await admin.put('/api/v1/flows/sync', { draft: changed, rev: cur.rev })).status).toBe(200);
    const p2 = await admin.post('/api/v1/flows/sync/publish', {});
    expect((p2.json as { version: number }).version).toBe(2);

    const versions = (await admin.get('/api/v1/flows/sync/versions')).json as { items: Array<{ version: number }> };
    expect(versions.items.map((v) => v.version)).toEqual([2, 1]);
    const v1 = await admin.get('/api/v1/flows/sync/versions/1');
    expect(v1.json).toMatchObject({ version: 1, document: { id: 'sync', nodes: [{ id: 'in' }, { id: 'echo' }] } });
    expect((await admin.get('/api/v1/flows/sync/versions/9')).status).toBe(404);

    const diff = await admin.get('/api/v1/flows/sync/versions/1/diff/2');
    expect(diff.status).toBe(200);
    const d = diff.json as { nodes: { added: string[]; removed: string[] }; edges: { added: string[] }; lines: Array<{ op: string; text: string }>; stats: { added: number } };
    expect(d.nodes.added).toEqual(['more']);
    expect(d.nodes.removed).toEqual([]);
    expect(d.edges.added).toEqual(['echo -> more']);
    expect(d.lines.some((l) => l.op === 'add' && l.text.includes('"more"'))).toBe(true);
    expect(d.stats.added).toBeGreaterThan(0);

    const draftBefore = (await admin.get('/api/v1/flows/sync')).json as { draft: unknown };
    const rb = await admin.post('/api/v1/flows/sync/versions/1/rollback', {});
    expect(rb.status).toBe(201);
    expect(rb.json).toMatchObject({ version: 3, note: 'rollback to version 1' });
    const v3 = (await admin.get('/api/v1/flows/sync/versions/3')).json as { document: { nodes: unknown[] } };
    expect(v3.document.nodes).toHaveLength(2);
    expect(((await admin.get('/api/v1/flows/sync')).json as { draft: unknown }).draft).toEqual(draftBefore.draft);

    const en = await admin.post('/api/v1/flows/sync/enable', {});
    expect(en.json).toMatchObject({ enabled: true, currentVersion: 3 });
    expect((await h.ctx.runtime.flows.active('sync'))?.version).toBe(3);
    const dis = await admin.post('/api/v1/flows/sync/disable', {});
    expect(dis.json).toMatchObject({ enabled: false });
    expect(await h.ctx.runtime.flows.active('sync')).toBeNull();

    await admin.post('/api/v1/flows', { draft: echoFlow('unpublished') });
    const refused = await admin.post('/api/v1/flows/unpublished/enable', {});
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ error: { code: 'FLOW_NOT_PUBLISHED' } });

    const audit = (await admin.get('/api/v1/audit?targetId=sync')).json as { items: Array<{ action: string; actorEmail: string | null }> };
    expect(audit.items.map((a) => a.action)).toEqual(['flow.disable', 'flow.enable', 'flow.rollback', 'flow.publish', 'flow.publish', 'flow.create']);
    expect(audit.items[0]!.actorEmail).toBe(admin.email);
  });

  it('names who published each version to an analyst, who may not list users; the audit log names its actors', async () => {
    const ada = await h.as('admin');
    expect((await admin.patch(`/api/v1/users/${ada.userId}`, { name: 'Ada Lovelace' })).status).toBe(200);
    await analyst.post('/api/v1/flows', { draft: echoFlow('named') });
    const published = await ada.post('/api/v1/flows/named/publish', { note: 'by Ada' });
    expect(versionSummaryOut.parse(published.json)).toMatchObject({ publishedBy: ada.userId, publishedByName: 'Ada Lovelace' });

    expect((await analyst.get('/api/v1/users')).status).toBe(403);
    const versions = await analyst.get('/api/v1/flows/named/versions');
    expect(listOf(versionSummaryOut).parse(versions.json).items).toEqual([expect.objectContaining({ version: 1, publishedBy: ada.userId, publishedByName: 'Ada Lovelace' })]);
    expect((await analyst.get('/api/v1/flows/named/versions/1')).json).toMatchObject({ publishedByName: 'Ada Lovelace' });

    const audit = pageOf(auditOut).parse((await admin.get('/api/v1/audit?targetId=named&action=flow.publish')).json);
    expect(audit.items.map((a) => [a.actor, a.actorName, a.actorEmail])).toEqual([[ada.userId, 'Ada Lovelace', ada.email]]);
  });

  it('test-runs a draft and returns the run with its steps', async () => {
    await analyst.post('/api/v1/flows', { draft: echoFlow('tester') });
    const res = await analyst.post('/api/v1/flows/tester/test', { payload: { order: 42 } });
    expect(res.status).toBe(200);
    const run = runDetailOut.parse((res.json as { run: unknown }).run);
    expect(run.status).toBe('succeeded');
    expect(run.test).toBe(true);
    expect(run.steps.find((s) => s.nodeId === 'echo')).toMatchObject({ status: 'succeeded', output: { order: 42 } });

    const detail = await analyst.get(`/api/v1/runs/${run.id}`);
    expect(runDetailOut.parse(detail.json).steps.length).toBe(run.steps.length);

    const invalid = await analyst.post('/api/v1/flows/tester/test', { payload: {}, draft: { ...echoFlow('tester'), trigger: 'missing' } });
    expect(invalid.status).toBe(422);
    expect(invalid.json).toMatchObject({ error: { code: 'FLOW_INVALID' } });
  });

  it("says why a test run stopped where a production run would retry: the step's own error, not a generic one", async () => {
    await analyst.post('/api/v1/flows', { draft: echoFlow('flaky-erp', { nodes: [{ id: 'down', type: 'testkit.unavailable', config: {} }], edges: [{ from: 'echo', to: 'down' }] }) });
    const res = await analyst.post('/api/v1/flows/flaky-erp/test', { payload: { order: 43 } });
    const run = runDetailOut.parse((res.json as { run: unknown }).run);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true, details: { nodeId: 'down' } });
    expect(run.error?.message).toBe('the ERP answered 503 (a production run would retry this step later)');
    expect(run.steps.find((s) => s.nodeId === 'down')).toMatchObject({ status: 'failed', error: { code: 'UPSTREAM_UNAVAILABLE' } });
  });

  it('ends a test run at a step that asked to run later: nothing resumes a test run, so the step failed, with why', async () => {
    await analyst.post('/api/v1/flows', { draft: echoFlow('long-wait', { nodes: [{ id: 'wait', type: 'testkit.later', config: {} }], edges: [{ from: 'echo', to: 'wait' }] }) });
    const res = await analyst.post('/api/v1/flows/long-wait/test', { payload: { order: 44 } });
    const run = runDetailOut.parse((res.json as { run: unknown }).run);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'RETRY_LATER', details: { nodeId: 'wait' } });
    expect(run.error?.message).toBe('the ERP export is not ready yet (a production run would retry this step later)');
    const wait = run.steps.find((s) => s.nodeId === 'wait');
    expect(wait).toMatchObject({ status: 'failed', attempt: 1, error: { code: 'RETRY_LATER', retryable: true, message: 'the ERP export is not ready yet (a production run would retry this step later)' } });
    // No time to resume at: it would not.
    expect(wait?.error?.details).not.toHaveProperty('resumeAt');
    expect(run.steps.map((s) => s.status)).not.toContain('waiting');
  });

  it('shows and resets trigger state', async () => {
    await h.ctx.store.setState({ flowId: 'tester', key: 'watermark:in', value: '2024-01-01T00:00:00Z' });
    const st = await admin.get('/api/v1/flows/tester/state');
    expect(st.json).toMatchObject({ items: [{ key: 'watermark:in', value: '2024-01-01T00:00:00Z' }] });
    expect((await analyst.del('/api/v1/flows/tester/state/watermark%3Ain')).status).toBe(403);
    expect((await admin.del('/api/v1/flows/tester/state/watermark%3Ain')).status).toBe(204);
    expect((await admin.get('/api/v1/flows/tester/state')).json).toEqual({ items: [] });
    expect((await admin.del('/api/v1/flows/tester/state/watermark%3Ain')).status).toBe(404);
  });

  it('deletes flows (admin) and hides them', async () => {
    expect((await analyst.del('/api/v1/flows/tester')).status).toBe(403);
    expect((await admin.del('/api/v1/flows/tester')).status).toBe(204);
    expect((await admin.get('/api/v1/flows/tester')).status).toBe(404);
  });
});

/** A local HTTP server that records every request's path and headers; `/go` redirects to `redirectTo`. */
async function recordingServer(redirectTo?: () => string): Promise<{ url: string; hits: Array<{ path: string; headers: IncomingHttpHeaders }>; close(): Promise<void> }> {
  const hits: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
  const server: Server = createServer((req, res) => {
    hits.push({ path: req.url ?? '', headers: req.headers });
    if (req.url === '/api/go' && redirectTo) {
      res.writeHead(302, { location: redirectTo() });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('connection credentials in test runs (installed connectors)', () => {
  let full: Harness;
  let fullAdmin: Client;
  let fullAnalyst: Client;
  let api: Awaited<ReturnType<typeof recordingServer>>;
  let thief: Awaited<ReturnType<typeof recordingServer>>;
  const TOKEN = 'SUPERSECRET-e2e-token';

  beforeAll(async () => {
    thief = await recordingServer();
    api = await recordingServer(() => `${thief.url}/caught`);
    full = await startHarness({ connectors: allConnectors() });
    fullAdmin = await full.as('admin');
    fullAnalyst = await full.as('analyst');
    const conn = await fullAdmin.post('/api/v1/connections', { name: 'qa-http', connector: 'http', config: { authType: 'bearer', baseUrl: `${api.url}/api/` }, secrets: { token: TOKEN } });
    expect(conn.status).toBe(201);
  });
  afterAll(async () => {
    await full?.close();
    await api?.close();
    await thief?.close();
  });

  const draft = (id: string, url: string) => ({
    schemaVersion: 1,
    id,
    name: `Steal ${id}`,
    trigger: 'start',
    nodes: [
      { id: 'start', type: 'core.manual', config: {} },
      { id: 'call', type: 'core.httpRequest', config: { connection: 'qa-http', method: 'GET', url } },
    ],
    edges: [{ from: 'start', to: 'call' }],
    settings: { priority: 'normal', concurrency: 1, timeoutMs: 30_000 },
  });

  it("an analyst's test run cannot send a connection's token outside its base URL", async () => {
    const apiPort = new URL(api.url).port;
    const targets = [`${thief.url}/steal`, `http://localhost:${apiPort}/api/steal`, `${api.url}/admin/steal`, `${api.url}/api/../steal`];
    for (const [i, url] of targets.entries()) {
      const id = `steal-${i}`;
      expect((await fullAnalyst.post('/api/v1/flows', { draft: draft(id, url) })).status).toBe(201);
      const res = await fullAnalyst.post(`/api/v1/flows/${id}/test`, { payload: {} });
      expect(res.status).toBe(200);
      const run = runDetailOut.parse((res.json as { run: unknown }).run);
      expect(run.status).toBe('failed');
      expect(run.steps.find((s) => s.nodeId === 'call')).toMatchObject({ status: 'failed', error: { code: 'URL_OUTSIDE_CONNECTION', kind: 'user', retryable: false } });
      expect(run.error?.message).toContain(`${api.url}/api/`);
    }
    expect(thief.hits).toEqual([]);
    expect(api.hits).toEqual([]);
  });

  it('sends the token under the base URL, and not on to where that API redirects', async () => {
    expect((await fullAnalyst.post('/api/v1/flows', { draft: draft('fine', 'orders') })).status).toBe(201);
    const ok = runDetailOut.parse(((await fullAnalyst.post('/api/v1/flows/fine/test', { payload: {} })).json as { run: unknown }).run);
    expect(ok.status).toBe('succeeded');
    expect(api.hits.map((h) => [h.path, h.headers['authorization']])).toEqual([['/api/orders', `Bearer ${TOKEN}`]]);

    expect((await fullAnalyst.post('/api/v1/flows', { draft: draft('bounce', 'go') })).status).toBe(201);
    const bounced = runDetailOut.parse(((await fullAnalyst.post('/api/v1/flows/bounce/test', { payload: {} })).json as { run: unknown }).run);
    expect(bounced.status).toBe('succeeded');
    expect(api.hits.at(-1)).toMatchObject({ path: '/api/go', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(thief.hits.map((h) => h.path)).toEqual(['/caught']);
    expect(thief.hits[0]?.headers['authorization']).toBeUndefined();
  });
});

describe('validation of the connections a flow names (installed connectors)', () => {
  let full: Harness;
  let fullAdmin: Client;
  let fullAnalyst: Client;
  let hooksId = '';

  beforeAll(async () => {
    full = await startHarness({ connectors: allConnectors() });
    fullAdmin = await full.as('admin');
    fullAnalyst = await full.as('analyst');
    const hooks = await fullAdmin.post('/api/v1/connections', { name: 'hooks', connector: 'core', config: {}, secrets: { webhookSecret: 'whsec_1' } });
    expect(hooks.status).toBe(201);
    hooksId = (hooks.json as { id: string }).id;
    expect((await fullAdmin.post('/api/v1/connections', { name: 'erp-api', connector: 'http', config: { authType: 'none' } })).status).toBe(201);
  });
  afterAll(async () => {
    await full?.close();
  });

  const doc = (id: string, trigger: Record<string, unknown>, call: Record<string, unknown> = { connection: 'erp-api', method: 'GET', url: 'http://127.0.0.1:9/x' }) => ({
    schemaVersion: 1,
    id,
    name: `Hooked ${id}`,
    trigger: 'in',
    nodes: [
      { id: 'in', ...trigger },
      { id: 'call', type: 'core.httpRequest', config: call },
    ],
    edges: [{ from: 'in', to: 'call' }],
    settings: { priority: 'normal', concurrency: 1, timeoutMs: 30_000 },
  });
  type Issue = { code: string; path: string; nodeId?: string; severity?: string; message: string };
  const issuesOf = async (id: string): Promise<Issue[]> => ((await fullAnalyst.post(`/api/v1/flows/${id}/validate`, {})).json as { issues: Issue[] }).issues;

  it('reports a signed webhook without a secret, an unknown connection and a connection of the wrong connector, as warnings while drafting', async () => {
    const cases: Array<[string, ReturnType<typeof doc>, Array<Partial<Issue>>]> = [
      [
        'unsigned',
        doc('unsigned', { type: 'core.webhook', config: { signature: 'shopify-hmac' } }),
        [{ code: 'FLOW_WEBHOOK_SECRET_MISSING', path: 'nodes[0].config.connection', nodeId: 'in', severity: 'warning' }],
      ],
      ['ghost-conn', doc('ghost-conn', { type: 'core.manual', config: {} }, { connection: 'no-such-conn', method: 'GET', url: 'http://127.0.0.1:9/x' }), [{ code: 'FLOW_CONNECTION_UNKNOWN', path: 'nodes[1].config.connection', nodeId: 'call', severity: 'warning' }]],
      [
        'wrong-kind',
        doc('wrong-kind', { type: 'shopify.orderCreated', config: { connection: 'hooks' } }),
        [
          { code: 'FLOW_CONNECTION_MISMATCH', path: 'nodes[0].config.connection', nodeId: 'in', severity: 'warning' },
          { code: 'FLOW_WEBHOOK_SECRET_MISSING', path: 'nodes[0].config.connection', nodeId: 'in', severity: 'warning' },
        ],
      ],
      ['http-as-core', doc('http-as-core', { type: 'core.webhook', config: { signature: 'hmac-sha256', connection: 'erp-api' } }), [{ code: 'FLOW_CONNECTION_MISMATCH' }, { code: 'FLOW_WEBHOOK_SECRET_MISSING' }]],
    ];
    for (const [id, draft, expected] of cases) {
      expect((await fullAnalyst.post('/api/v1/flows', { draft })).status).toBe(201);
      const issues = await issuesOf(id);
      expect(issues, id).toEqual(expected.map((e) => expect.objectContaining(e)));
      const pub = await fullAdmin.post(`/api/v1/flows/${id}/publish`, {});
      expect(pub.status, id).toBe(422);
      expect(pub.json).toMatchObject({ error: { code: 'FLOW_INVALID', details: { issues: expected.map((e) => expect.objectContaining({ ...e, severity: 'error' })) } } });
      expect((await fullAdmin.get(`/api/v1/flows/${id}/versions`)).json).toEqual({ items: [] });
    }
    expect((await issuesOf('ghost-conn'))[0]?.message).toContain('"no-such-conn"');
    expect((await issuesOf('wrong-kind'))[0]?.message).toMatch(/"hooks" is a core connection; shopify\.orderCreated takes shopify connections/);

    // Warnings do not stop a test run (it fails at the step that needs the connection instead).
    const test = await fullAnalyst.post('/api/v1/flows/ghost-conn/test', { payload: {} });
    expect(test.status).toBe(200);
    expect((test.json as { run: { steps: Array<{ nodeId: string; error: { code: string } | null }> } }).run.steps.find((s) => s.nodeId === 'call')?.error).toMatchObject({ code: 'CONNECTION_MISSING' });
  });

  it('accepts a signed webhook whose connection or inline secret has the secret', async () => {
    for (const [id, config] of [
      ['signed-conn', { signature: 'shopify-hmac', connection: 'hooks' }],
      ['signed-inline', { signature: 'hmac-sha256', secret: 'whsec_inline' }],
      ['signed-by-id', { signature: 'hmac-sha256', connection: hooksId }],
    ] as const) {
      expect((await fullAnalyst.post('/api/v1/flows', { draft: doc(id, { type: 'core.webhook', config }) })).status).toBe(201);
      expect(await issuesOf(id)).toEqual([]);
    }
  });

  it('refuses to enable a published version whose connection lost its webhook secret or is gone', async () => {
    const shop = await fullAdmin.post('/api/v1/connections', { name: 'shop', connector: 'shopify', config: { shopDomain: 'northwind.myshopify.com' }, secrets: { accessToken: 'shpat_1', webhookSecret: 'whsec_shop' } });
    expect(shop.status).toBe(201);
    const shopId = (shop.json as { id: string }).id;
    expect((await fullAnalyst.post('/api/v1/flows', { draft: doc('orders-in', { type: 'shopify.orderCreated', config: { connection: 'shop' } }) })).status).toBe(201);
    expect(await issuesOf('orders-in')).toEqual([]);
    expect((await fullAdmin.post('/api/v1/flows/orders-in/publish', {})).status).toBe(201);

    // The webhook secret is optional on a Shopify connection: without it every delivery would get 401.
    expect((await fullAdmin.put(`/api/v1/connections/${shopId}`, { secrets: { webhookSecret: null } })).status).toBe(200);
    expect(await issuesOf('orders-in')).toEqual([expect.objectContaining({ code: 'FLOW_WEBHOOK_SECRET_MISSING', path: 'nodes[0].config.connection', severity: 'warning' })]);
    const refused = await fullAdmin.post('/api/v1/flows/orders-in/enable', {});
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({ error: { code: 'FLOW_INVALID', details: { issues: [expect.objectContaining({ code: 'FLOW_WEBHOOK_SECRET_MISSING', nodeId: 'in', severity: 'error' })] } } });
    expect((refused.json as { error: { message: string } }).error.message).toContain('has no webhook secret');
    expect(await full.ctx.runtime.flows.active('orders-in')).toBeNull();

    expect((await fullAdmin.del(`/api/v1/connections/${shopId}`)).status).toBe(204);
    const gone = await fullAdmin.post('/api/v1/flows/orders-in/enable', {});
    expect(gone.status).toBe(422);
    expect((gone.json as { error: { details: { issues: Issue[] } } }).error.details.issues.map((i) => i.code)).toEqual(['FLOW_CONNECTION_UNKNOWN', 'FLOW_WEBHOOK_SECRET_MISSING']);

    expect((await fullAdmin.post('/api/v1/connections', { name: 'shop', connector: 'shopify', config: { shopDomain: 'northwind.myshopify.com' }, secrets: { accessToken: 'shpat_2', webhookSecret: 'whsec_2' } })).status).toBe(201);
    expect((await fullAdmin.post('/api/v1/flows/orders-in/enable', {})).json).toMatchObject({ enabled: true, currentVersion: 1 });
    // Disabling never depends on connections.
    expect((await fullAdmin.post('/api/v1/flows/orders-in/disable', {})).status).toBe(200);
  });
});
