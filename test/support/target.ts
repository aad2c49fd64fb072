// An ERP-like HTTP target for runtime tests: accepts sales orders, remembers Idempotency-Key like real
// order APIs do (a repeat returns the first answer instead of a second order), and can be switched into
// an outage (503s, or refusing connections) and back.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface TargetOrder {
  key: string | undefined;
  body: unknown;
  at: number;
}

export interface Target {
  url: string;
  port: number;
  orders: TargetOrder[];
  /** Requests seen, including refused (503) ones and idempotent repeats. */
  requests: number;
  repeats: number;
  outage(mode: 'none' | '503' | 'refuse'): Promise<void>;
  close(): Promise<void>;
}

export async function startTarget(port = 0): Promise<Target> {
  const byKey = new Map<string, string>();
  const sockets = new Set<Socket>();
  let mode: 'none' | '503' | 'refuse' = 'none';
  const state: Target = {
    url: '',
    port: 0,
    orders: [],
    requests: 0,
    repeats: 0,
    outage: async (m) => {
      if (m === 'refuse' && mode !== 'refuse') {
        mode = m;
        await new Promise<void>((r) => server.close(() => r()));
        for (const s of sockets) s.destroy();
      } else if (m !== 'refuse' && mode === 'refuse') {
        mode = m;
        await new Promise<void>((r) => server.listen(state.port, '127.0.0.1', () => r()));
      } else mode = m;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      if (mode !== 'refuse') await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      if (mode === '503') {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(JSON.stringify({ error: { code: 'ServiceUnavailable', message: 'maintenance' } }));
        return;
      }
      const key = req.headers['idempotency-key'] as string | undefined;
      if (key && byKey.has(key)) {
        state.repeats++;
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(byKey.get(key));
        return;
      }
      let body: unknown = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end('{"error":{"code":"BadRequest","message":"invalid JSON"}}');
        return;
      }
      state.orders.push({ key, body, at: Date.now() });
      const answer = JSON.stringify({ id: `so-${state.orders.length}`, number: `SO${100000 + state.orders.length}` });
      if (key) byKey.set(key, answer);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(answer);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  state.port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}`;
  return state;
}
