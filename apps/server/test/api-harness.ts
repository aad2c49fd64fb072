// Test support for the API, auth and CLI tests (not a test file itself): a real store (PGlite in
// memory), the real runtime on the in-process queue, the real app, and a small connector whose
// connections carry a bearer token, so secrets travel the same path as in production.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Server } from 'node:http';
import { auth, ConnectorError, createHttpClient, createLocalRateLimiter, createRegistry, defineAction, defineConnector, defineTrigger, prop, retryLater, type Connector, type JsonValue, type SandboxPort } from '@tributary/connector-sdk';
import { createQueue } from '@tributary/queue';
import { openStore, type UserRole } from '@tributary/store';
import { createApp } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import type { AppContext } from '../src/context.ts';
import { createLogger } from '../src/logger.ts';
import { createMetrics } from '../src/metrics.ts';
import { localFlowEvents } from '../src/runtime/flow-events.ts';
import { Runtime } from '../src/runtime/runtime.ts';
import { createSecretBox, loadSecretKey } from '../src/secrets.ts';
import { hashPassword } from '../src/auth/passwords.ts';

// `baseUrl` is where the token may be sent: the SDK client refuses other URLs (and every URL without one).
const tokenAuth = auth.apiToken({ props: { baseUrl: prop.string({ label: 'Base URL' }) } });

/** `testkit.*`: a webhook trigger, a manual trigger, an authenticated GET, an echo, a failing step, an unavailable one and one that asks to run later. */
export const testkit: Connector = defineConnector({
  id: 'testkit',
  label: 'Test kit',
  description: 'Nodes for server tests',
  auth: tokenAuth,
  triggers: [
    defineTrigger({ name: 'hook', label: 'Hook', description: 'webhook without signature', source: 'webhook', signature: 'none', props: {} }),
    defineTrigger({ name: 'start', label: 'Start', description: 'manual start', source: 'manual', props: {} }),
  ],
  actions: [
    defineAction({
      name: 'callApi',
      label: 'Call API',
      description: 'GET a URL with the connection\'s bearer token',
      props: { connection: prop.connection({ label: 'Connection', connector: 'testkit', required: true }), url: prop.string({ label: 'URL', required: true }) },
      async run(ctx) {
        const baseUrl = ctx.connection?.config['baseUrl'];
        const client = createHttpClient({ ...(typeof baseUrl === 'string' ? { baseUrl } : {}), auth: tokenAuth, connection: ctx.connection, services: ctx, signal: ctx.signal });
        const res = await client.request({ method: 'GET', path: ctx.props.url });
        ctx.log.info('called the API', { status: res.status });
        return { status: res.status, body: res.body as JsonValue };
      },
    }),
    defineAction({ name: 'echo', label: 'Echo', description: 'returns its input', props: { note: prop.string({ label: 'Note' }) }, run: async (ctx) => ctx.input }),
    defineAction({
      name: 'fail',
      label: 'Fail',
      description: 'always fails permanently',
      props: { code: prop.string({ label: 'Code' }) },
      run: async () => {
        throw new ConnectorError('VALIDATION', 'the target refused the record');
      },
    }),
    defineAction({
      name: 'unavailable',
      label: 'Unavailable',
      description: 'always fails transiently, asking to be tried again in a minute',
      props: {},
      run: async () => {
        throw new ConnectorError('UPSTREAM_UNAVAILABLE', 'the ERP answered 503', { status: 503, retryAfterMs: 60_000 });
      },
    }),
    defineAction({
      name: 'later',
      label: 'Later',
      description: 'asks to run again in two hours, as a long delay or a vendor job not ready does',
      props: {},
      run: async () => {
        throw retryLater(2 * 3_600_000, 'the ERP export is not ready yet');
      },
    }),
  ],
});

const noSandbox: SandboxPort & { close(): Promise<void> } = {
  evaluate: async () => {
    throw new Error('no sandbox in API tests');
  },
  runCode: async () => {
    throw new Error('no sandbox in API tests');
  },
  close: async () => {},
};

export interface Harness {
  ctx: AppContext;
  config: Config;
  url: string;
  dataDir: string;
  /** Every log line written so far (pino JSON). */
  logs: string[];
  /** Every response body the helpers have seen. */
  bodies: string[];
  close(): Promise<void>;
  /** A signed-in client for a new user with this role. */
  as(role: UserRole | null): Promise<Client>;
  /** A client using a new API token of a new user with this role. */
  bot(role: UserRole): Promise<Client>;
  anonymous(): Client;
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export interface Client {
  csrf: string | null;
  cookie: string | null;
  bearer: string | null;
  email: string;
  userId: string;
  request(method: string, pathname: string, opts?: { body?: unknown; raw?: string; contentType?: string; headers?: Record<string, string>; csrf?: boolean }): Promise<Reply>;
  get(pathname: string): Promise<Reply>;
  post(pathname: string, body?: unknown): Promise<Reply>;
  put(pathname: string, body?: unknown): Promise<Reply>;
  patch(pathname: string, body?: unknown): Promise<Reply>;
  del(pathname: string): Promise<Reply>;
}

export const PASSWORD = 'correct horse battery';
let seq = 0;
let passwordHash: Promise<string> | null = null;

export async function startHarness(opts: { env?: Record<string, string>; connectors?: Connector[] } = {}): Promise<Harness> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'trb-api-'));
  const config = loadConfig({ TRIBUTARY_DATA_DIR: dataDir, LOG_LEVEL: 'debug', PORT: '0', ...opts.env });
  const logs: string[] = [];
  const dest = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString('utf8'));
      cb();
    },
  });
  const log = createLogger(config.logLevel, dest);
  const store = await openStore({ dataDir: 'memory://' });
  const queue = await createQueue({ driver: 'local' });
  const events = localFlowEvents();
  const registry = createRegistry(opts.connectors ?? [testkit]);
  const secrets = createSecretBox(loadSecretKey({ secretKey: config.secretKey, dataDir }));
  const metrics = createMetrics({ defaults: false });
  const rateLimiter = createLocalRateLimiter();
  const runtime = new Runtime({ store, queue, sandbox: noSandbox, registry, secrets, log, metrics, rateLimiter, events });
  const ctx: AppContext = { config, mode: 'embedded', store, queue, sandbox: noSandbox, registry, runtime, secrets, log, metrics, events, rateLimiter };
  const app = createApp(ctx, { designerDir: path.join(dataDir, 'no-designer') });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const bodies: string[] = [];

  const client = (c: { cookie: string | null; csrf: string | null; bearer: string | null; email: string; userId: string }): Client => {
    const self: Client = {
      ...c,
      async request(method, pathname, o = {}) {
        const headers: Record<string, string> = { ...(o.headers ?? {}) };
        if (self.cookie) headers['cookie'] = self.cookie;
        if (self.bearer) headers['authorization'] = `Bearer ${self.bearer}`;
        if (self.csrf && o.csrf !== false && method !== 'GET') headers['x-csrf-token'] = self.csrf;
        let body: string | undefined;
        if (o.raw !== undefined) {
          body = o.raw;
          headers['content-type'] = o.contentType ?? 'application/json';
        } else if (o.body !== undefined) {
          body = JSON.stringify(o.body);
          headers['content-type'] = o.contentType ?? 'application/json';
        }
        const res = await fetch(`${url}${pathname}`, { method, headers, ...(body !== undefined ? { body } : {}) });
        const text = await res.text();
        bodies.push(text);
        let json: unknown = undefined;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        return { status: res.status, headers: res.headers, text, json };
      },
      get: (p) => self.request('GET', p),
      post: (p, b) => self.request('POST', p, { body: b ?? {} }),
      put: (p, b) => self.request('PUT', p, { body: b ?? {} }),
      patch: (p, b) => self.request('PATCH', p, { body: b ?? {} }),
      del: (p) => self.request('DELETE', p),
    };
    return self;
  };

  const anonymous = (): Client => client({ cookie: null, csrf: null, bearer: null, email: '', userId: '' });

  const as = async (role: UserRole | null): Promise<Client> => {
    if (role === null) return anonymous();
    const email = `${role}-${++seq}@example.com`;
    passwordHash ??= hashPassword(PASSWORD);
    const user = await store.createUser({ email, name: role, role, passwordHash: await passwordHash });
    return login(anonymous(), email, PASSWORD, user.id);
  };

  return {
    ctx,
    config,
    url,
    dataDir,
    logs,
    bodies,
    anonymous,
    as,
    async bot(role) {
      const c = await as(role);
      const res = await c.post('/api/v1/tokens', { name: `${role} bot` });
      const b = anonymous();
      b.bearer = (res.json as { token: string }).token;
      b.userId = c.userId;
      b.email = c.email;
      return b;
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      runtime.close();
      await queue.close({ drain: false, timeoutMs: 1000 });
      await events.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the API; the returned client carries the session cookie and CSRF token. */
let ipSeq = 0;
export async function login(c: Client, email: string, password: string, userId = ''): Promise<Client> {
  // A distinct client address per sign-in (trusted from loopback), so the per-IP limit is not what a test hits.
  const ip = `10.0.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;
  const res = await c.request('POST', '/api/v1/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': ip } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  const setCookie = res.headers.getSetCookie().find((h) => h.startsWith('trb_session='));
  if (!setCookie) throw new Error('no session cookie');
  c.cookie = setCookie.split(';')[0]!;
  c.csrf = (res.json as { csrfToken: string }).csrfToken;
  c.email = email;
  c.userId = userId || (res.json as { user: { id: string } }).user.id;
  return c;
}

/** A flow document using the test kit: webhook trigger → echo. */
export function echoFlow(id: string, extra: { nodes?: unknown[]; edges?: unknown[]; priority?: 'high' | 'normal' | 'low' } = {}) {
  return {
    schemaVersion: 1,
    id,
    name: `Flow ${id}`,
    trigger: 'in',
    nodes: [
      { id: 'in', type: 'testkit.hook', config: {} },
      { id: 'echo', type: 'testkit.echo', config: {} },
      ...(extra.nodes ?? []),
    ],
    edges: [{ from: 'in', to: 'echo' }, ...(extra.edges ?? [])],
    settings: { priority: extra.priority ?? 'normal', concurrency: 5, timeoutMs: 60_000 },
    layout: {},
  };
}

/** Creates, publishes and enables `doc` as `admin`; throws naming the request that was refused. */
export async function deployFlow(admin: Client, doc: ReturnType<typeof echoFlow>): Promise<void> {
  const steps: Array<[string, unknown, number]> = [['/api/v1/flows', { draft: doc }, 201], [`/api/v1/flows/${doc.id}/publish`, {}, 201], [`/api/v1/flows/${doc.id}/enable`, {}, 200]];
  for (const [pathname, body, want] of steps) {
    const r = await admin.post(pathname, body);
    if (r.status !== want) throw new Error(`POST ${pathname} answered ${r.status}, not ${want}: ${r.text}`);
  }
}

/** Sends `payload` to the flow's (unsigned) webhook; returns the run id of its 202. */
export async function fireWebhook(h: Harness, flowId: string, payload: unknown): Promise<string> {
  const res = await fetch(`${h.url}/hooks/${flowId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  const text = await res.text();
  if (res.status !== 202) throw new Error(`POST /hooks/${flowId} answered ${res.status}, not 202: ${text}`);
  return (JSON.parse(text) as { runId: string }).runId;
}
