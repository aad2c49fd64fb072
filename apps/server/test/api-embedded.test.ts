import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from '../src/api/index.ts';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { closeContext, openContext } from '../src/processes.ts';

/**
 * The whole embedded stack as `tributary start` wires it (openContext: PGlite in a data directory,
 * the real sandbox and connectors), driven the way the designer drives it: first admin from the
 * environment, sign in, a bearer-token `http` connection, a flow with core.map and core.httpRequest,
 * validate, test-run, publish. The token must reach the target and nothing else.
 */
const TOKEN = 'sk_embedded_7Hq2LmP9xR4tW8vZ';
const ADMIN = { email: 'admin@example.com', password: 'embedded admin password' };

let ctx: Awaited<ReturnType<typeof openContext>>;
let server: Server;
let target: Server;
let base = '';
let targetUrl = '';
let dataDir = '';
const logs: string[] = [];
const bodies: string[] = [];
const received: string[] = [];
let cookie = '';
let csrf = '';

async function call(method: string, p: string, body?: unknown): Promise<{ status: number; json: unknown; text: string }> {
  const headers: Record<string, string> = {};
  if (cookie) headers['cookie'] = cookie;
  if (csrf && method !== 'GET') headers['x-csrf-token'] = csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${p}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  bodies.push(text);
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('trb_session='));
  if (setCookie) cookie = setCookie.split(';')[0]!;
  return { status: res.status, text, json: text ? (JSON.parse(text) as unknown) : undefined };
}

beforeAll(async () => {
  target = createServer((req, res) => {
    received.push(req.headers.authorization ?? '');
    const ok = req.headers.authorization === `Bearer ${TOKEN}`;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ok ? { accepted: true, url: req.url } : { error: 'bad token' }));
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/erp/orders`;

  dataDir = mkdtempSync(path.join(tmpdir(), 'trb-embedded-'));
  const logDestination = new Writable({
    write(chunk: Buffer, _e, cb) {
      logs.push(chunk.toString('utf8'));
      cb();
    },
  });
  const config = loadConfig({ TRIBUTARY_DATA_DIR: dataDir, LOG_LEVEL: 'debug', PORT: '0', TRIBUTARY_ADMIN_EMAIL: ADMIN.email, TRIBUTARY_ADMIN_PASSWORD: ADMIN.password });
  ctx = await openContext(config, { mode: 'embedded', logDestination, sandboxPoolSize: 1 });
  await ensureFirstAdmin(ctx);
  const app = createApp(ctx, { designerDir: path.join(dataDir, 'none') });
  server = await new Promise((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  if (ctx) await closeContext(ctx, { drainMs: 1000 });
  target?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('embedded stack through the API', () => {
  it('signs in as the first admin, builds, validates, test-runs and publishes a flow using a secret', async () => {
    const login = await call('POST', '/api/v1/auth/login', ADMIN);
    expect(login.status).toBe(200);
    csrf = (login.json as { csrfToken: string }).csrfToken;

    const catalog = (await call('GET', '/api/v1/catalog')).json as { nodeTypes: Array<{ type: string }> };
    expect(catalog.nodeTypes.map((t) => t.type)).toEqual(expect.arrayContaining(['core.manual', 'core.map', 'core.httpRequest']));

    const conn = await call('POST', '/api/v1/connections', { name: 'erp', connector: 'http', config: { authType: 'bearer', baseUrl: new URL(targetUrl).origin }, secrets: { token: TOKEN } });
    expect(conn.status).toBe(201);
    expect(conn.json).toMatchObject({ hasSecret: true, secretFields: ['token', 'password'] });

    const draft = {
      schemaVersion: 1,
      id: 'order-to-erp',
      name: 'Order to ERP',
      trigger: 'start',
      nodes: [
        { id: 'start', type: 'core.manual', config: {} },
        { id: 'shape', type: 'core.map', config: { expression: '{ "ref": "SO-" & $string(order), "total": $sum(lines.price) }' } },
        { id: 'send', type: 'core.httpRequest', config: { connection: 'erp', method: 'GET', url: targetUrl, query: { ref: { $expr: '$steps.shape.ref' } } } },
      ],
      edges: [
        { from: 'start', to: 'shape' },
        { from: 'shape', to: 'send' },
      ],
      settings: { priority: 'high', concurrency: 5, timeoutMs: 60_000 },
    };
    expect((await call('POST', '/api/v1/flows', { draft })).status).toBe(201);
    const issues = (await call('POST', '/api/v1/flows/order-to-erp/validate', {})).json as { issues: Array<{ severity?: string }> };
    expect(issues.issues.filter((i) => i.severity !== 'warning')).toEqual([]);

    const test = await call('POST', '/api/v1/flows/order-to-erp/test', { payload: { order: 1001, lines: [{ price: 2.5 }, { price: 4 }] } });
    expect(test.status).toBe(200);
    const run = (test.json as { run: { status: string; steps: Array<{ nodeId: string; status: string; output: unknown }> } }).run;
    expect(run.status).toBe('succeeded');
    expect(run.steps.find((s) => s.nodeId === 'shape')?.output).toEqual({ ref: 'SO-1001', total: 6.5 });
    expect(run.steps.find((s) => s.nodeId === 'send')?.output).toMatchObject({ status: 200, body: { accepted: true, url: '/erp/orders?ref=SO-1001' } });
    expect(received).toContain(`Bearer ${TOKEN}`);

    expect((await call('POST', '/api/v1/flows/order-to-erp/publish', { note: 'first' })).status).toBe(201);
    expect((await call('POST', '/api/v1/flows/order-to-erp/enable', {})).json).toMatchObject({ enabled: true, currentVersion: 1 });
    await call('GET', `/api/v1/runs/${(test.json as { run: { id: string } }).run.id}`);
    await call('GET', '/api/v1/connections');
    await call('GET', '/api/v1/audit');

    const stored: string[] = [];
    for (const r of (await ctx.store.listRuns({ limit: 100 })).items) stored.push(JSON.stringify(r), JSON.stringify(await ctx.store.listSteps(r.id, { full: true })));
    stored.push(JSON.stringify((await ctx.store.listAudit({ limit: 100 })).items), JSON.stringify(await ctx.store.listConnections()));
    for (const text of [...bodies, ...logs, ...stored]) expect(text).not.toContain(TOKEN);
    expect(logs.length).toBeGreaterThan(0);
  }, 60_000);
});
