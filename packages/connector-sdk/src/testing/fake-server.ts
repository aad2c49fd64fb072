import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FailOptions, FakeServer } from './fake-types.ts';

export type { FailOptions, FakeServer } from './fake-types.ts';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Lower-case names. */
  headers: Record<string, string | undefined>;
  rawBody: string;
  /** Parsed JSON, or form fields as an object, or the text; null when empty. */
  body: unknown;
  /** Absolute URL of this request on the fake (for Link headers and next links). */
  url: string;
}

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as is (set content-type in headers). */
  text?: string;
  /** Hold the answer this long (to test timeouts); closing the server cuts it short. */
  delayMs?: number;
}

export interface FakeRoute {
  method: string;
  /** Exact path, or a pattern matched against the path. */
  path: string | RegExp;
  respond(req: FakeRequest): FakeResponse | Promise<FakeResponse>;
}

export interface LocalFakeServer extends FakeServer {
  /** Full requests, for asserting on headers and bodies. */
  recorded(): FakeRequest[];
  unmatched(): Array<{ method: string; path: string }>;
}

function parseBody(raw: string, type: string | undefined): unknown {
  if (raw === '') return null;
  if (type?.includes('json')) {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }
  if (type?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  return raw;
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A real HTTP server on 127.0.0.1 with an ephemeral port, answering from routes: the shape fake vendor
 * servers take in connector tests (no mocked fetch, so timeouts, headers and status codes are real).
 * @example
 * const server = await startFakeServer([{ method: 'GET', path: '/orders/1', respond: () => ({ json: { id: 1 } }) }]);
 * server.failNext(429, { retryAfter: 3 });
 */
export async function startFakeServer(routes: readonly FakeRoute[]): Promise<LocalFakeServer> {
  const seen: FakeRequest[] = [];
  const unmatched: Array<{ method: string; path: string }> = [];
  const failures: Array<{ status: number; opts: FailOptions }> = [];
  let base = '';
  const send = (res: ServerResponse, r: FakeResponse): void => {
    const headers: Record<string, string> = { ...(r.headers ?? {}) };
    let payload = r.text ?? '';
    if (r.json !== undefined) {
      payload = JSON.stringify(r.json);
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
    res.writeHead(r.status ?? 200, headers);
    res.end(payload);
  };
  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readAll(req);
      const u = new URL(req.url ?? '/', base);
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const fr: FakeRequest = { method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, headers, rawBody: raw, body: parseBody(raw, headers['content-type']), url: u.toString() };
      seen.push(fr);
      const failure = failures[0];
      if (failure) {
        failure.opts.times = (failure.opts.times ?? 1) - 1;
        if (failure.opts.times <= 0) failures.shift();
        const h: Record<string, string> = { ...(failure.opts.headers ?? {}) };
        if (failure.opts.retryAfter !== undefined) h['retry-after'] = String(failure.opts.retryAfter);
        send(res, { status: failure.status, headers: h, json: failure.opts.json ?? { error: `fake failure ${failure.status}` } });
        return;
      }
      const route = routes.find((r) => r.method.toUpperCase() === fr.method && (typeof r.path === 'string' ? r.path === fr.path : r.path.test(fr.path)));
      if (!route) {
        unmatched.push({ method: fr.method, path: fr.path });
        send(res, { status: 404, json: { error: `no fake route for ${fr.method} ${fr.path}` } });
        return;
      }
      const out = await route.respond(fr);
      if (out.delayMs) await new Promise((r) => setTimeout(r, out.delayMs).unref());
      if (!res.destroyed) send(res, out);
    })().catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `fake server route threw: ${String(err)}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
    requests: () => seen.map((r) => ({ method: r.method, path: r.path })),
    recorded: () => [...seen],
    failNext: (status, opts = {}) => void failures.push({ status, opts: { ...opts } }),
    unmatched: () => [...unmatched],
  };
}
