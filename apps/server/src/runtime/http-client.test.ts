import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpFetch } from './http-client.ts';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A server whose routes say what to answer; every request it saw is kept. */
async function startServer(route: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      route(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const client = createHttpFetch();
const fetchNode = client.fetch;
let server: Awaited<ReturnType<typeof startServer>>;
let other: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  other = await startServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ host: 'other', auth: req.headers.authorization ?? null }));
  });
  server = await startServer((req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, value: unknown, headers: http.OutgoingHttpHeaders = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(value));
    };
    switch (url.pathname) {
      case '/echo':
        return json(201, { method: req.method, body, contentType: req.headers['content-type'] ?? null }, { 'x-multi': ['a', 'b'] });
      case '/gzip':
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        return void res.end(zlib.gzipSync(JSON.stringify({ zipped: true })));
      case '/br':
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'br' });
        return void res.end(zlib.brotliCompressSync('brotli'));
      case '/redirect': {
        const status = Number(url.searchParams.get('status'));
        const to = url.searchParams.get('to') ?? '/echo';
        res.writeHead(status, { location: to });
        return void res.end();
      }
      case '/loop':
        res.writeHead(302, { location: '/loop' });
        return void res.end();
      case '/slow':
        return void setTimeout(() => json(200, { late: true }), 2000);
      case '/stream': {
        // Chunked, no content-length: the client must stream it.
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        let i = 0;
        const next = (): void => {
          if (i === 2000) return void res.end();
          res.write(`{"line":${i++}}\n`);
          setImmediate(next);
        };
        return next();
      }
      case '/empty':
        res.writeHead(204);
        return void res.end();
      default:
        return json(404, { error: 'no route' });
    }
  });
});

afterAll(async () => {
  client.close();
  await server.close();
  await other.close();
});

describe('the runtime HTTP client (fetch over node:http)', () => {
  it('sends method, headers and body and answers like fetch', async () => {
    const res = await fetchNode(`${server.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' }, body: '{"a":1}' });
    expect(res.status).toBe(201);
    expect(res.ok).toBe(true);
    expect(res.url).toBe(`${server.url}/echo`);
    expect(res.redirected).toBe(false);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-multi')).toBe('a, b');
    expect(await res.json()).toEqual({ method: 'POST', body: '{"a":1}', contentType: 'application/json' });
    const seen = server.seen.at(-1)!;
    expect(seen.headers).toMatchObject({ 'idempotency-key': 'k1', 'content-length': '7', 'accept-encoding': 'gzip, deflate, br', accept: '*/*' });
  });

  it('encodes URLSearchParams and byte bodies', async () => {
    expect(await (await fetchNode(`${server.url}/echo`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials' }) })).json()).toEqual({
      method: 'POST',
      body: 'grant_type=client_credentials',
      contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
    });
    const bytes = new TextEncoder().encode('bytes ä');
    expect(((await (await fetchNode(`${server.url}/echo`, { method: 'PUT', body: bytes.subarray(0, 5) })).json()) as { body: string }).body).toBe('bytes');
  });

  it('decodes gzip and brotli bodies', async () => {
    expect(await (await fetchNode(`${server.url}/gzip`)).json()).toEqual({ zipped: true });
    expect(await (await fetchNode(`${server.url}/br`)).text()).toBe('brotli');
  });

  it('follows redirects as fetch does: 302 turns a POST into a GET, 307 keeps method and body', async () => {
    const after302 = await fetchNode(`${server.url}/redirect?status=302`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":1}' });
    expect(await after302.json()).toEqual({ method: 'GET', body: '', contentType: null });
    expect(after302.redirected).toBe(true);
    expect(after302.url).toBe(`${server.url}/echo`);
    const after307 = await fetchNode(`${server.url}/redirect?status=307`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":1}' });
    expect(await after307.json()).toEqual({ method: 'POST', body: '{"x":1}', contentType: 'application/json' });
  });

  it('drops credentials when a redirect leaves the origin', async () => {
    const res = await fetchNode(`${server.url}/redirect?status=302&to=${encodeURIComponent(`${other.url}/x`)}`, { headers: { authorization: 'Bearer secret' } });
    expect(await res.json()).toEqual({ host: 'other', auth: null });
  });

  it("returns the redirect itself with redirect: 'manual', refuses it with 'error', and stops after 20", async () => {
    const manual = await fetchNode(`${server.url}/redirect?status=301`, { redirect: 'manual' });
    expect(manual.status).toBe(301);
    expect(manual.headers.get('location')).toBe('/echo');
    await expect(fetchNode(`${server.url}/redirect?status=301`, { redirect: 'error' })).rejects.toThrow(TypeError);
    await expect(fetchNode(`${server.url}/loop`)).rejects.toThrow(/too many redirects/);
  });

  it('rejects a redirect to a Location that does not parse or is not http(s), as fetch does, instead of throwing out of the socket', async () => {
    // An unparseable Location used to throw inside the response handler: an uncaught exception, and a request that never settled.
    await expect(fetchNode(`${server.url}/redirect?status=302&to=${encodeURIComponent('http://[bad')}`)).rejects.toThrow(/fetch failed: .*not a valid URL/);
    await expect(fetchNode(`${server.url}/redirect?status=302&to=${encodeURIComponent('ftp://files.example.com/x')}`)).rejects.toThrow(/fetch failed: .*ftp: URL/);
  });

  it('rejects with the signal reason when aborted or timed out, and with TypeError + cause when unreachable', async () => {
    const aborted = new AbortController();
    aborted.abort(new Error('stop'));
    await expect(fetchNode(`${server.url}/echo`, { signal: aborted.signal })).rejects.toThrow('stop');
    const started = Date.now();
    const timedOut: unknown = await fetchNode(`${server.url}/slow`, { signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect(timedOut).toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(1500);
    const refused: unknown = await fetchNode('http://127.0.0.1:1/').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
  });

  it('streams a body without a length through res.body', async () => {
    const res = await fetchNode(`${server.url}/stream`);
    expect(res.body).not.toBeNull();
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of res.body!) text += decoder.decode(chunk, { stream: true });
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(2000);
    expect(JSON.parse(lines[1999]!)).toEqual({ line: 1999 });
  });

  it('gives no body for 204 and HEAD', async () => {
    const empty = await fetchNode(`${server.url}/empty`);
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    const head = await fetchNode(`${server.url}/echo`, { method: 'HEAD' });
    expect(head.status).toBe(201);
    expect(await head.text()).toBe('');
  });

  it('reuses kept-alive connections', async () => {
    const ports = new Set<number>();
    const probe = await startServer((req, res) => {
      ports.add(req.socket.remotePort ?? 0);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
    try {
      for (let i = 0; i < 20; i++) expect(await (await fetchNode(`${probe.url}/`)).text()).toBe('ok');
      expect(ports.size).toBe(1);
    } finally {
      await probe.close();
    }
  });
});
