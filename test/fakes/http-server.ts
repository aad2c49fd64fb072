import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a fake misbehaves as a whole: answers 503 to everything, or refuses TCP connections. */
export type OutageMode = 'none' | '503' | 'refuse';

/** One request as the fake saw it (headers lower-cased, body as text). */
export interface RecordedRequest {
  method: string;
  /** Path and query string, e.g. `/admin/api/2025-01/graphql.json`. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

export type FakeHandler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => Promise<void> | void;

export interface FakeHttpServer {
  /** `http://127.0.0.1:<port>` without a trailing slash. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** `refuse` stops listening (clients get ECONNREFUSED) until the mode goes back to `none` on the same port. */
  setOutage(mode: OutageMode): Promise<void>;
  outage(): OutageMode;
  close(): Promise<void>;
}

export interface StartOptions {
  handler: FakeHandler;
  /** Writes the body of an outage 503 in the vendor's format. */
  outageResponse(res: ServerResponse): void;
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function stopListening(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A node:http server on 127.0.0.1:0 that records requests and can simulate outages. */
export async function startFakeHttpServer(opts: StartOptions): Promise<FakeHttpServer> {
  const requests: RecordedRequest[] = [];
  let mode: OutageMode = 'none';
  let closed = false;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: headerRecord(req), body: body.toString('utf8') });
      if (mode === '503') {
        opts.outageResponse(res);
        return;
      }
      Promise.resolve(opts.handler(req, body, res)).catch((err: unknown) => {
        // A bug in the fake must surface loudly in the test, not as a hung request.
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ fakeError: err instanceof Error ? err.stack ?? err.message : String(err) }));
        } else res.destroy();
      });
    });
  });
  server.keepAliveTimeout = 1000;
  const port = await listen(server, 0);

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    outage: () => mode,
    async setOutage(next) {
      if (closed) throw new Error('fake server is closed');
      const wasRefusing = mode === 'refuse';
      mode = next;
      if (next === 'refuse' && !wasRefusing) await stopListening(server);
      if (next !== 'refuse' && wasRefusing) await listen(server, port);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (mode === 'refuse') return;
      await stopListening(server);
    },
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}
