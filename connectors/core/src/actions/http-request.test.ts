import type { ResolvedConnection } from '@tributary/connector-sdk';
import { createTestServices, runAction } from '@tributary/connector-sdk/testing';
import { startFakeServer, type LocalFakeServer } from '@tributary/connector-sdk/testing/fake-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { httpRequestAction } from './http-request.ts';

let server: LocalFakeServer;
beforeEach(async () => {
  server = await startFakeServer([
    { method: 'GET', path: '/v1/orders', respond: (r) => ({ json: { orders: [{ id: 1 }], status: r.query.get('status') }, headers: { 'x-total': '1' } }) },
    { method: 'POST', path: '/v1/orders', respond: (r) => ({ status: 201, json: { created: r.body } }) },
    { method: 'GET', path: '/v1/missing', respond: () => ({ status: 404, json: { error: 'Order 9 not found' } }) },
    { method: 'GET', path: '/v1/busy', respond: () => ({ status: 429, headers: { 'retry-after': '12' }, json: { error: 'slow down' } }) },
    { method: 'GET', path: '/v1/text', respond: () => ({ text: 'pong', headers: { 'content-type': 'text/plain' } }) },
  ]);
});
afterEach(async () => {
  await server.close();
});

const conn = (config: Record<string, string | number>, secrets: Record<string, string> = {}): ResolvedConnection => ({ id: 'api-1', name: 'API', connector: 'http', config, secrets });

describe('core.httpRequest', () => {
  it('GETs with query parameters and returns status, headers and parsed body', async () => {
    const out = await runAction(httpRequestAction, { props: { url: `${server.url}/v1/orders`, query: { status: 'open' } }, input: null });
    expect(out).toMatchObject({ status: 200, headers: { 'x-total': '1', 'content-type': 'application/json; charset=utf-8' }, body: { orders: [{ id: 1 }], status: 'open' } });
  });

  it('POSTs a JSON body with the step’s idempotency key', async () => {
    const out = await runAction(httpRequestAction, { props: { method: 'POST', url: `${server.url}/v1/orders`, body: { sku: 'A', qty: 2 } }, input: null, idempotencyKey: 'idk_step_1' });
    expect(out).toMatchObject({ status: 201, body: { created: { sku: 'A', qty: 2 } } });
    expect(server.recorded()[0]?.headers['idempotency-key']).toBe('idk_step_1');
  });

  it('can leave the idempotency key out for APIs that reject unknown headers', async () => {
    await runAction(httpRequestAction, { props: { method: 'POST', url: `${server.url}/v1/orders`, body: {}, sendIdempotencyKey: false }, input: null });
    expect(server.recorded()[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('returns text responses as text', async () => {
    expect(await runAction(httpRequestAction, { props: { url: `${server.url}/v1/text` }, input: null })).toMatchObject({ status: 200, body: 'pong' });
  });

  it.each([
    ['bearer', conn({ authType: 'bearer' }, { token: 't-1' }), 'authorization', 'Bearer t-1'],
    ['API key header', conn({ authType: 'apiKey', headerName: 'X-Api-Token' }, { token: 'k-1' }), 'x-api-token', 'k-1'],
    ['basic', conn({ authType: 'basic', username: 'ana' }, { password: 'pw' }), 'authorization', `Basic ${Buffer.from('ana:pw').toString('base64')}`],
  ])('authenticates with a %s connection', async (_what, base, header, value) => {
    const connection = { ...base, config: { ...base.config, baseUrl: `${server.url}/v1/` } };
    await runAction(httpRequestAction, { props: { url: `${server.url}/v1/orders`, connection: connection.id }, connection, input: null });
    expect(server.recorded()[0]?.headers[header]).toBe(value);
  });

  describe('keeps a connection’s credentials under its base URL', () => {
    let other: LocalFakeServer;
    beforeEach(async () => {
      other = await startFakeServer([{ method: 'GET', path: /.*/, respond: (r) => ({ json: { stolen: r.headers['authorization'] ?? r.headers['x-api-token'] ?? null } }) }]);
    });
    afterEach(async () => {
      await other.close();
    });
    const bearer = () => conn({ authType: 'bearer', baseUrl: `${server.url}/v1/` }, { token: 'SUPERSECRET' });

    it.each([
      ['another origin', () => `${other.url}/steal`],
      ['localhost for 127.0.0.1', () => `${server.url.replace('127.0.0.1', 'localhost')}/v1/orders`],
      ['a path outside the prefix', () => `${server.url}/admin`],
      ['.. out of the prefix', () => `${server.url}/v1/../admin`],
      ['a relative .. out of the prefix', () => '../admin'],
    ])('refuses %s before sending anything', async (_what, url) => {
      const err = await runAction(httpRequestAction, { props: { url: url(), connection: 'api-1' }, connection: bearer(), input: null }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'URL_OUTSIDE_CONNECTION', kind: 'user', retryable: false });
      expect((err as Error).message).toContain(`${server.url}/v1/`);
      expect(server.requests()).toEqual([]);
      expect(other.requests()).toEqual([]);
    });

    it('refuses a connection with credentials but no base URL', async () => {
      const connection = conn({ authType: 'apiKey', headerName: 'X-Api-Token' }, { token: 'SUPERSECRET' });
      const err = await runAction(httpRequestAction, { props: { url: `${other.url}/steal`, connection: connection.id }, connection, input: null }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'CONFIG_INVALID', retryable: false });
      expect((err as Error).message).toContain('no base URL');
      expect(other.requests()).toEqual([]);
    });

    it('still calls any URL through a connection without credentials', async () => {
      const connection = conn({ authType: 'none', baseUrl: `${server.url}/v1/` });
      expect(await runAction(httpRequestAction, { props: { url: `${other.url}/public`, connection: connection.id }, connection, input: null })).toMatchObject({ status: 200 });
    });

    it('follows a redirect to another origin without the credentials', async () => {
      const redirecting = await startFakeServer([{ method: 'GET', path: '/v1/go', respond: () => ({ status: 302, headers: { location: `${other.url}/steal` } }) }]);
      try {
        for (const connection of [
          conn({ authType: 'bearer', baseUrl: `${redirecting.url}/v1/` }, { token: 'SUPERSECRET' }),
          conn({ authType: 'apiKey', headerName: 'X-Api-Token', baseUrl: `${redirecting.url}/v1/` }, { token: 'SUPERSECRET' }),
        ]) {
          const out = await runAction(httpRequestAction, { props: { url: 'go', connection: connection.id }, connection, input: null });
          expect(out).toMatchObject({ status: 200, body: { stolen: null } });
        }
        expect(redirecting.recorded().map((r) => r.headers['authorization'] ?? r.headers['x-api-token'])).toEqual(['Bearer SUPERSECRET', 'SUPERSECRET']);
        expect(other.recorded()).toHaveLength(2);
      } finally {
        await redirecting.close();
      }
    });
  });

  it('sends no credentials without a connection', async () => {
    await runAction(httpRequestAction, { props: { url: `${server.url}/v1/orders` }, input: null });
    expect(server.recorded()[0]?.headers['authorization']).toBeUndefined();
  });

  it('resolves a relative URL against the connection’s base URL and applies its rate limit', async () => {
    const services = createTestServices();
    const connection = conn({ authType: 'none', baseUrl: `${server.url}/v1/`, rateLimitPerSecond: 1 });
    for (let i = 0; i < 3; i++) await runAction(httpRequestAction, { props: { url: 'orders', connection: connection.id }, connection, input: null, services });
    expect(server.requests().map((r) => r.path)).toEqual(['/v1/orders', '/v1/orders', '/v1/orders']);
    expect(services.sleeps).toEqual([1000, 1000]);
  });

  it('refuses a relative URL without a base URL', async () => {
    await expect(runAction(httpRequestAction, { props: { url: 'v1/orders' }, input: null })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(server.requests()).toEqual([]);
  });

  it('fails a 404 as NOT_FOUND with the vendor’s message', async () => {
    const err = await runAction(httpRequestAction, { props: { url: `${server.url}/v1/missing` }, input: null }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NOT_FOUND', retryable: false });
    expect((err as Error).message).toContain('Order 9 not found');
  });

  it('returns a 404 as output when it is listed in successCodes', async () => {
    expect(await runAction(httpRequestAction, { props: { url: `${server.url}/v1/missing`, successCodes: [200, 404] }, input: null })).toMatchObject({ status: 404, body: { error: 'Order 9 not found' } });
  });

  it('fails a 429 as RATE_LIMITED with the server’s Retry-After for the engine', async () => {
    const err = await runAction(httpRequestAction, { props: { url: `${server.url}/v1/busy` }, input: null }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'RATE_LIMITED', retryable: true, retryAfterMs: 12_000 });
    expect(server.requests()).toHaveLength(1);
  });

  it('fails a slow server as TIMEOUT after timeoutMs', async () => {
    const slow = await startFakeServer([{ method: 'GET', path: '/slow', respond: () => ({ delayMs: 10_000, json: {} }) }]);
    try {
      await expect(runAction(httpRequestAction, { props: { url: `${slow.url}/slow`, timeoutMs: 50 }, input: null })).rejects.toMatchObject({ code: 'TIMEOUT', retryable: true });
    } finally {
      await slow.close();
    }
  });
});
