import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ResolvedConnection } from './context.ts';
import { ConnectorError } from './errors.ts';
import { auth } from './auth.ts';
import { createHttpClient, type HttpClientOptions } from './http.ts';
import { startFakeServer, type FakeRoute, type LocalFakeServer } from './testing/fake-server.ts';
import { createTestServices, type TestServices } from './testing/services.ts';

const servers: LocalFakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function fake(routes: FakeRoute[]): Promise<LocalFakeServer> {
  const s = await startFakeServer(routes);
  servers.push(s);
  return s;
}

const connection: ResolvedConnection = { id: 'erp-main', name: 'ERP', connector: 'erp', config: {}, secrets: { token: 's3cr3t-token' } };

function client(server: LocalFakeServer, services: TestServices, extra: Partial<HttpClientOptions> = {}) {
  return createHttpClient({ baseUrl: `${server.url}/api/v2`, auth: auth.apiToken(), connection, services, timeoutMs: 5_000, ...extra });
}

async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ConnectorError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('createHttpClient: JSON in and out', () => {
  it('sends JSON with auth and returns the parsed body, resolving paths under the base URL', async () => {
    const server = await fake([{ method: 'POST', path: '/api/v2/sales-orders', respond: (r) => ({ status: 201, json: { id: 'SO-1', received: r.body } }) }]);
    const services = createTestServices();
    const res = await client(server, services).post('/sales-orders', { customer: 'C00042', lines: [{ sku: 'A', qty: 2 }] });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: 'SO-1', received: { customer: 'C00042', lines: [{ sku: 'A', qty: 2 }] } });
    const [req] = server.recorded();
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers['authorization']).toBe('Bearer s3cr3t-token');
  });

  it('encodes query parameters, repeating arrays and dropping null/undefined', async () => {
    const server = await fake([{ method: 'GET', path: '/api/v2/items', respond: (r) => ({ json: { q: r.query.toString() } }) }]);
    const res = await client(server, createTestServices()).get<{ q: string }>('items', { query: { status: 'open', id: [1, 2], skip: undefined, none: null, flag: true } });
    expect(res.body.q).toBe('status=open&id=1&id=2&flag=true');
  });

  it('returns text bodies as text and empty bodies as null', async () => {
    const server = await fake([
      { method: 'GET', path: '/api/v2/text', respond: () => ({ text: 'plain', headers: { 'content-type': 'text/plain' } }) },
      { method: 'DELETE', path: '/api/v2/thing/1', respond: () => ({ status: 204 }) },
    ]);
    const c = client(server, createTestServices());
    expect((await c.get('text')).body).toBe('plain');
    expect((await c.delete('thing/1')).body).toBeNull();
  });

  it('parses with a schema and reports a changed vendor API as UPSTREAM_ERROR', async () => {
    const server = await fake([{ method: 'GET', path: '/api/v2/order', respond: () => ({ json: { id: 'not-a-number' } }) }]);
    const err = await failure(client(server, createTestServices()).get('order', { schema: z.object({ id: z.number() }) }));
    expect(err.code).toBe('UPSTREAM_ERROR');
    expect(err.details).toMatchObject({ issues: [{ path: 'id' }] });
  });

  it('refuses a body that claims JSON but is not', async () => {
    const server = await fake([{ method: 'GET', path: '/api/v2/broken', respond: () => ({ text: '{"id":', headers: { 'content-type': 'application/json' } }) }]);
    expect((await failure(client(server, createTestServices()).get('broken'))).code).toBe('UPSTREAM_ERROR');
  });

  it('returns statuses listed in successCodes instead of throwing', async () => {
    const server = await fake([{ method: 'GET', path: '/api/v2/missing', respond: () => ({ status: 404, json: { error: 'nope' } }) }]);
    const res = await client(server, createTestServices()).get('missing', { successCodes: [200, 404] });
    expect(res).toMatchObject({ status: 404, body: { error: 'nope' } });
  });

  it('never logs credentials', async () => {
    const server = await fake([{ method: 'GET', path: '/api/v2/x', respond: () => ({ json: {} }) }]);
    const services = createTestServices();
    await client(server, services).get('x');
    expect(services.logs.length).toBeGreaterThan(0);
    expect(JSON.stringify(services.logs)).not.toContain('s3cr3t-token');
  });
});

describe('createHttpClient: error classification', () => {
  it.each([
    [400, { errors: { email: ['is invalid'] } }, 'VALIDATION', 'user', false, 'email is invalid'],
    [422, { message: 'Quantity must be positive' }, 'VALIDATION', 'user', false, 'Quantity must be positive'],
    [401, { error: 'invalid_token' }, 'AUTH_INVALID', 'user', false, 'invalid_token'],
    [403, { errors: 'scope write_orders missing' }, 'AUTH_FORBIDDEN', 'user', false, 'scope write_orders missing'],
    [404, { error: { message: 'Customer C9 not found' } }, 'NOT_FOUND', 'user', false, 'Customer C9 not found'],
    [409, { title: 'Conflict', detail: 'Order already exists' }, 'CONFLICT', 'user', false, 'Order already exists'],
    [410, {}, 'UPSTREAM_ERROR', 'user', false, 'HTTP 410'],
    [408, {}, 'UPSTREAM_UNAVAILABLE', 'transient', true, 'HTTP 408'],
    [429, { errors: 'Exceeded 2 calls per second' }, 'RATE_LIMITED', 'transient', true, 'Exceeded 2 calls per second'],
    [500, {}, 'UPSTREAM_UNAVAILABLE', 'transient', true, 'HTTP 500'],
    [503, { error: { code: 'x', message: { value: 'Service down (OData)' } } }, 'UPSTREAM_UNAVAILABLE', 'transient', true, 'Service down (OData)'],
  ] as const)('HTTP %i → %s', async (status, body, code, kind, retryable, inMessage) => {
    const server = await fake([{ method: 'GET', path: '/api/v2/thing', respond: () => ({ status, json: body }) }]);
    const err = await failure(client(server, createTestServices()).get('thing'));
    expect({ code: err.code, kind: err.kind, retryable: err.retryable, status: err.status }).toEqual({ code, kind, retryable, status });
    expect(err.message).toContain(inMessage);
  });

  it.each([
    ['seconds', '7', 7000],
    ['fractional seconds', '1.5', 1500],
  ])('reads Retry-After as %s', async (_what, header, ms) => {
    const server = await fake([{ method: 'GET', path: '/api/v2/x', respond: () => ({ status: 429, headers: { 'retry-after': header }, json: {} }) }]);
    expect((await failure(client(server, createTestServices()).get('x'))).retryAfterMs).toBe(ms);
  });

  it('reads Retry-After as an HTTP date relative to the clock', async () => {
    const now = Date.parse('2025-01-01T10:00:00Z');
    const server = await fake([{ method: 'GET', path: '/api/v2/x', respond: () => ({ status: 503, headers: { 'retry-after': 'Wed, 01 Jan 2025 10:02:00 GMT' }, json: {} }) }]);
    const err = await failure(client(server, createTestServices({ startAt: now })).get('x'));
    expect(err.retryAfterMs).toBe(120_000);
  });

  it('classifies an unreachable server as NETWORK, retryable', async () => {
    const server = await fake([]);
    const url = server.url;
    await server.close();
    servers.length = 0;
    const err = await failure(createHttpClient({ baseUrl: url, connection: null, services: createTestServices() }).get('x'));
    expect({ code: err.code, retryable: err.retryable }).toEqual({ code: 'NETWORK', retryable: true });
  });

  it('classifies a server that does not answer in time as TIMEOUT, retryable', async () => {
    const server = await fake([{ method: 'GET', path: '/api/v2/slow', respond: () => ({ delayMs: 10_000, json: {} }) }]);
    const err = await failure(client(server, createTestServices(), { timeoutMs: 50 }).get('slow'));
    expect({ code: err.code, retryable: err.retryable }).toEqual({ code: 'TIMEOUT', retryable: true });
  });

  it('rethrows the caller’s abort reason instead of calling it a timeout', async () => {
    const server = await fake([{ method: 'GET', path: '/api/v2/slow', respond: () => ({ delayMs: 10_000, json: {} }) }]);
    const ac = new AbortController();
    const p = client(server, createTestServices(), { signal: ac.signal }).get('slow');
    setTimeout(() => ac.abort(new Error('step cancelled')), 20);
    await expect(p).rejects.toThrow('step cancelled');
  });
});

describe('createHttpClient: retries', () => {
  it('retries an idempotent read in-request when asked, with backoff through services.sleep', async () => {
    const server = await fake([{ method: 'GET', path: '/api/v2/x', respond: () => ({ json: { ok: true } }) }]);
    server.failNext(503, { times: 2 });
    const services = createTestServices();
    const res = await client(server, services, { retry: { attempts: 3 } }).get('x');
    expect(res.body).toEqual({ ok: true });
    expect(server.requests()).toHaveLength(3);
    expect(services.sleeps).toEqual([200, 400]);
  });

  it('caps in-request attempts at 3 whatever is asked', async () => {
    const server = await fake([{ method: 'GET', path: '/api/v2/x', respond: () => ({ json: {} }) }]);
    server.failNext(500, { times: 10 });
    await failure(client(server, createTestServices(), { retry: { attempts: 10 } }).get('x'));
    expect(server.requests()).toHaveLength(3);
  });

  it('leaves a long Retry-After to the engine instead of holding the step', async () => {
    const server = await fake([{ method: 'GET', path: '/api/v2/x', respond: () => ({ json: {} }) }]);
    server.failNext(429, { retryAfter: 30 });
    const err = await failure(client(server, createTestServices(), { retry: { attempts: 3 } }).get('x'));
    expect(err.retryAfterMs).toBe(30_000);
    expect(server.requests()).toHaveLength(1);
  });

  it('never retries a write in-request (the engine retries with the same idempotency key)', async () => {
    const server = await fake([{ method: 'POST', path: '/api/v2/orders', respond: () => ({ json: {} }) }]);
    server.failNext(503);
    const err = await failure(client(server, createTestServices(), { retry: { attempts: 3 } }).post('orders', {}));
    expect(err.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(server.requests()).toHaveLength(1);
  });

  it('does not retry user errors', async () => {
    const server = await fake([{ method: 'GET', path: '/api/v2/x', respond: () => ({ status: 404, json: {} }) }]);
    await failure(client(server, createTestServices(), { retry: { attempts: 3 } }).get('x'));
    expect(server.requests()).toHaveLength(1);
  });
});

describe('createHttpClient: idempotency keys and rate limits', () => {
  it('sends the idempotency key on writes only', async () => {
    const server = await fake([
      { method: 'POST', path: '/api/v2/orders', respond: () => ({ json: {} }) },
      { method: 'GET', path: '/api/v2/orders', respond: () => ({ json: [] }) },
      { method: 'PUT', path: '/api/v2/orders/1', respond: () => ({ json: {} }) },
    ]);
    const c = client(server, createTestServices(), { idempotencyKey: 'idk_abc' });
    await c.post('orders', {});
    await c.get('orders');
    await c.put('orders/1', {}, { idempotencyKey: 'idk_override' });
    await c.post('orders', {}, { idempotencyKey: false });
    expect(server.recorded().map((r) => r.headers['idempotency-key'])).toEqual(['idk_abc', undefined, 'idk_override', undefined]);
  });

  it('takes a slot from the shared limiter before every request, keyed by connection', async () => {
    const server = await fake([{ method: 'GET', path: '/api/v2/x', respond: () => ({ json: {} }) }]);
    const services = createTestServices();
    const acquired: Array<{ key: string; perSecond: number }> = [];
    const inner = services.rateLimiter;
    services.rateLimiter = {
      reserve: inner.reserve,
      acquire: async (key, limit, signal) => {
        acquired.push({ key, perSecond: limit.perSecond });
        return inner.acquire(key, limit, signal);
      },
    };
    const c = createHttpClient({ baseUrl: server.url, auth: auth.apiToken({ rateLimit: { perSecond: 2, burst: 2 } }), connection, services });
    for (let i = 0; i < 5; i++) await c.get('api/v2/x');
    expect(acquired).toEqual(Array.from({ length: 5 }, () => ({ key: 'connection:erp-main', perSecond: 2 })));
    // Burst of 2, then one request every 500 ms (the fake clock moves instead of the test waiting).
    expect(services.sleeps).toEqual([500, 500, 500]);
  });
});

describe('createHttpClient: auth', () => {
  it.each([
    ['API token in a custom header without prefix', auth.apiToken({ header: 'X-Shopify-Access-Token', prefix: '' }), { token: 'shpat_1' }, {}, 'x-shopify-access-token', 'shpat_1'],
    ['basic', auth.basic(), { password: 'pw' }, { username: 'ana' }, 'authorization', `Basic ${Buffer.from('ana:pw').toString('base64')}`],
  ] as const)('%s', async (_what, spec, secrets, config, header, expected) => {
    const server = await fake([{ method: 'GET', path: '/x', respond: () => ({ json: {} }) }]);
    await createHttpClient({ baseUrl: server.url, auth: spec, connection: { ...connection, secrets, config }, services: createTestServices() }).get('x');
    expect(server.recorded()[0]?.headers[header]).toBe(expected);
  });

  it('fails with CONNECTION_MISSING when auth is declared but no connection is selected', async () => {
    const server = await fake([{ method: 'GET', path: '/x', respond: () => ({ json: {} }) }]);
    const err = await failure(createHttpClient({ baseUrl: server.url, auth: auth.apiToken(), connection: null, services: createTestServices() }).get('x'));
    expect(err.code).toBe('CONNECTION_MISSING');
    expect(server.requests()).toEqual([]);
  });

  it('names the missing secret when the connection lacks it', async () => {
    const server = await fake([]);
    const err = await failure(createHttpClient({ baseUrl: server.url, auth: auth.apiToken(), connection: { ...connection, secrets: {} }, services: createTestServices() }).get('x'));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain('"token"');
  });
});

describe('createHttpClient: credentials stay under the base URL', () => {
  const keyAuth = auth.apiToken({ header: 'X-Api-Key', prefix: '' });
  const keyConnection: ResolvedConnection = { ...connection, secrets: { token: 'k3y' } };

  it('refuses an absolute URL on another origin or outside the path prefix, sending nothing anywhere', async () => {
    const api = await fake([{ method: 'GET', path: /.*/, respond: () => ({ json: {} }) }]);
    const other = await fake([{ method: 'GET', path: /.*/, respond: () => ({ json: {} }) }]);
    const c = client(api, createTestServices());
    for (const target of [`${other.url}/api/v2/steal`, `${api.url}/api/v3/steal`, `${api.url}/api/v2evil`, '../../steal', `${api.url}/api/v2/..%2fsteal`]) {
      const err = await failure(c.get(target));
      expect(err).toMatchObject({ code: 'URL_OUTSIDE_CONNECTION', kind: 'user', retryable: false });
      expect(err.message).toContain(`${api.url}/api/v2`);
    }
    expect(api.requests()).toEqual([]);
    expect(other.requests()).toEqual([]);
  });

  it('sends an absolute URL under the base URL with the credentials', async () => {
    const api = await fake([{ method: 'GET', path: '/api/v2/items', respond: () => ({ json: {} }) }]);
    await client(api, createTestServices()).get(`${api.url.replace('http://', 'HTTP://')}/api/v2/x/../items`);
    expect(api.recorded()[0]?.headers['authorization']).toBe('Bearer s3cr3t-token');
  });

  it('refuses every request when auth is declared without a base URL (nowhere the credentials may go)', async () => {
    const api = await fake([{ method: 'GET', path: /.*/, respond: () => ({ json: {} }) }]);
    const err = await failure(createHttpClient({ auth: auth.apiToken(), connection, services: createTestServices() }).get(`${api.url}/x`));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain('no base URL');
    expect(api.requests()).toEqual([]);
  });

  it('follows a redirect to another origin without the connection’s credentials, even in a custom header', async () => {
    const other = await fake([{ method: 'GET', path: '/landing', respond: (r) => ({ json: { landed: true, key: r.headers['x-api-key'] ?? null } }) }]);
    const api = await fake([{ method: 'GET', path: '/api/v2/moved', respond: () => ({ status: 302, headers: { location: `${other.url}/landing` } }) }]);
    const c = createHttpClient({ baseUrl: `${api.url}/api/v2/`, auth: keyAuth, connection: keyConnection, services: createTestServices(), headers: { Authorization: 'Bearer caller-supplied' } });
    const res = await c.get('moved');
    expect(res.body).toEqual({ landed: true, key: null });
    expect(api.recorded()[0]?.headers['x-api-key']).toBe('k3y');
    expect(other.recorded()[0]?.headers['x-api-key']).toBeUndefined();
    // As fetch does: a hop to another origin also drops the caller's own Authorization.
    expect(other.recorded()[0]?.headers['authorization']).toBeUndefined();
  });

  it('drops the credentials on a redirect outside the path prefix on the same origin, and keeps them inside it', async () => {
    const api = await fake([
      { method: 'GET', path: '/api/v2/out', respond: () => ({ status: 301, headers: { location: '/public/landing' } }) },
      { method: 'POST', path: '/api/v2/in', respond: () => ({ status: 307, headers: { location: 'in-here' } }) },
      { method: 'POST', path: '/api/v2/in-here', respond: (r) => ({ status: 201, json: { got: r.body } }) },
      { method: 'GET', path: '/public/landing', respond: () => ({ json: {} }) },
    ]);
    const c = createHttpClient({ baseUrl: `${api.url}/api/v2/`, auth: keyAuth, connection: keyConnection, services: createTestServices() });
    await c.get('out');
    expect((await c.post('in', { n: 1 })).body).toEqual({ got: { n: 1 } });
    expect(api.recorded().map((r) => [r.method, r.path, r.headers['x-api-key'] ?? null])).toEqual([
      ['GET', '/api/v2/out', 'k3y'],
      ['GET', '/public/landing', null],
      ['POST', '/api/v2/in', 'k3y'],
      ['POST', '/api/v2/in-here', 'k3y'],
    ]);
  });

  it('gives up on a redirect loop', async () => {
    const api = await fake([{ method: 'GET', path: '/api/v2/loop', respond: () => ({ status: 302, headers: { location: 'loop' } }) }]);
    const err = await failure(createHttpClient({ baseUrl: `${api.url}/api/v2/`, auth: keyAuth, connection: keyConnection, services: createTestServices() }).get('loop'));
    expect(err.code).toBe('UPSTREAM_ERROR');
    expect(api.requests()).toHaveLength(21);
  });
});
