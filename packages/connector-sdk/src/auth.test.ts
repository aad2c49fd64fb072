import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedConnection } from './context.ts';
import { ConnectorError } from './errors.ts';
import { auth, createTokenCache, oauth2ClientCredentialsAuth, requestAuthFor } from './auth.ts';
import { createHttpClient } from './http.ts';
import { startFakeServer, type FakeRequest, type LocalFakeServer } from './testing/fake-server.ts';
import { createTestServices, type TestServices } from './testing/services.ts';

const servers: LocalFakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A token endpoint and an API on one local server; the API accepts only the latest token issued. */
async function oauthServer(opts: { expiresIn?: number; rejectApiTimes?: number } = {}) {
  let issued = 0;
  let rejectApi = opts.rejectApiTimes ?? 0;
  const server = await startFakeServer([
    {
      method: 'POST',
      path: '/oauth/token',
      respond: (r: FakeRequest) => {
        const form = r.body as Record<string, string>;
        const basic = r.headers['authorization'];
        const [id, secret] = basic ? Buffer.from(basic.replace(/^Basic /, ''), 'base64').toString().split(':') : [form['client_id'], form['client_secret']];
        if (form['grant_type'] !== 'client_credentials' || id !== 'cid' || secret !== 'csecret') {
          return { status: 401, json: { error: 'invalid_client', error_description: 'Client authentication failed' } };
        }
        issued += 1;
        return { json: { access_token: `tok-${issued}`, token_type: 'bearer', expires_in: opts.expiresIn ?? 3600, scope: form['scope'] } };
      },
    },
    {
      method: 'GET',
      path: '/api/me',
      respond: (r: FakeRequest) => {
        if (rejectApi > 0) {
          rejectApi -= 1;
          return { status: 401, json: { error: 'token revoked' } };
        }
        return r.headers['authorization'] === `Bearer tok-${issued}` ? { json: { ok: true, token: issued } } : { status: 401, json: { error: 'bad token' } };
      },
    },
  ]);
  servers.push(server);
  return { server, tokenRequests: () => server.requests().filter((q) => q.path === '/oauth/token').length, apiRequests: () => server.requests().filter((q) => q.path === '/api/me').length };
}

const conn = (url: string, secrets: Record<string, string> = { clientId: 'cid', clientSecret: 'csecret' }): ResolvedConnection => ({
  id: 'erp-main',
  name: 'ERP',
  connector: 'erp',
  config: { tokenUrl: `${url}/oauth/token`, scope: 'orders.write' },
  secrets,
});

function clientFor(url: string, services: TestServices, cache = createTokenCache(), connection = conn(url)) {
  return createHttpClient({ baseUrl: url, auth: oauth2ClientCredentialsAuth({ cache, skewMs: 60_000 }), connection, services });
}

describe('OAuth2 client credentials', () => {
  it('fetches a token once and reuses it for later requests on the connection', async () => {
    const { server, tokenRequests } = await oauthServer();
    const services = createTestServices();
    const cache = createTokenCache();
    for (let i = 0; i < 3; i++) expect((await clientFor(server.url, services, cache).get('api/me')).body).toEqual({ ok: true, token: 1 });
    expect(tokenRequests()).toBe(1);
    const tokenReq = server.recorded().find((r) => r.path === '/oauth/token');
    expect(tokenReq?.body).toMatchObject({ grant_type: 'client_credentials', scope: 'orders.write', client_id: 'cid' });
  });

  it('refreshes the token when it is within the skew of expiring', async () => {
    const { server, tokenRequests } = await oauthServer({ expiresIn: 600 });
    const services = createTestServices();
    const cache = createTokenCache();
    await clientFor(server.url, services, cache).get('api/me');
    services.advance(600_000 - 60_000 - 1);
    await clientFor(server.url, services, cache).get('api/me');
    expect(tokenRequests()).toBe(1);
    services.advance(2);
    expect((await clientFor(server.url, services, cache).get('api/me')).body).toEqual({ ok: true, token: 2 });
    expect(tokenRequests()).toBe(2);
  });

  it('on a 401 drops the token, fetches a new one and retries once', async () => {
    const { server, tokenRequests, apiRequests } = await oauthServer({ rejectApiTimes: 1 });
    const res = await clientFor(server.url, createTestServices()).get('api/me');
    expect(res.body).toEqual({ ok: true, token: 2 });
    expect(tokenRequests()).toBe(2);
    expect(apiRequests()).toBe(2);
  });

  it('gives up with AUTH_INVALID when the fresh token is refused too (no loop)', async () => {
    const { server, tokenRequests, apiRequests } = await oauthServer({ rejectApiTimes: 5 });
    const err = await clientFor(server.url, createTestServices()).get('api/me').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).code).toBe('AUTH_INVALID');
    expect(apiRequests()).toBe(2);
    expect(tokenRequests()).toBe(2);
  });

  it('makes one token request for concurrent steps on the same connection', async () => {
    const { server, tokenRequests } = await oauthServer();
    const services = createTestServices();
    const cache = createTokenCache();
    await Promise.all(Array.from({ length: 8 }, () => clientFor(server.url, services, cache).get('api/me')));
    expect(tokenRequests()).toBe(1);
  });

  it('reports refused client credentials as AUTH_INVALID with the server’s explanation', async () => {
    const { server } = await oauthServer();
    const err = await clientFor(server.url, createTestServices(), createTokenCache(), conn(server.url, { clientId: 'cid', clientSecret: 'wrong' }))
      .get('api/me')
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'AUTH_INVALID', retryable: false });
    expect((err as Error).message).toContain('Client authentication failed');
  });

  it('does not follow a token endpoint’s redirect, so the client secret is posted nowhere else', async () => {
    const elsewhere = await startFakeServer([{ method: 'POST', path: /.*/, respond: () => ({ json: { access_token: 'stolen' } }) }]);
    servers.push(elsewhere);
    const server = await startFakeServer([
      { method: 'POST', path: '/oauth/token', respond: () => ({ status: 307, headers: { location: `${elsewhere.url}/token` } }) },
      { method: 'GET', path: '/api/me', respond: () => ({ json: { ok: true } }) },
    ]);
    servers.push(server);
    const err = await clientFor(server.url, createTestServices()).get('api/me').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFIG_INVALID', retryable: false, status: 307 });
    expect(elsewhere.requests()).toEqual([]);
    expect(server.requests().map((r) => r.path)).toEqual(['/oauth/token']);
  });

  it('does not reuse a cached token once the connection’s credentials or scope change', async () => {
    const { server, tokenRequests } = await oauthServer();
    const services = createTestServices();
    const cache = createTokenCache();
    await clientFor(server.url, services, cache).get('api/me');
    // Same connection id, different scope (the fake accepts any scope) → the cached token must not be reused.
    const rotated = { ...conn(server.url), config: { tokenUrl: `${server.url}/oauth/token`, scope: 'orders.read' } };
    await clientFor(server.url, services, cache, rotated).get('api/me');
    expect(tokenRequests()).toBe(2);
  });

  it('can authenticate the client with HTTP basic at the token endpoint', async () => {
    const { server } = await oauthServer();
    const c = createHttpClient({
      baseUrl: server.url,
      auth: requestAuthFor(auth.oauth2ClientCredentials({ tokenUrl: `${server.url}/oauth/token`, clientAuth: 'basic' }), { cache: createTokenCache() }),
      connection: { id: 'c', name: 'c', connector: 'erp', config: {}, secrets: { clientId: 'cid', clientSecret: 'csecret' } },
      services: createTestServices(),
    });
    expect((await c.get('api/me')).body).toMatchObject({ ok: true });
    const tokenReq = server.recorded().find((r) => r.path === '/oauth/token');
    expect(tokenReq?.headers['authorization']).toBe(`Basic ${Buffer.from('cid:csecret').toString('base64')}`);
    expect(tokenReq?.body).not.toHaveProperty('client_secret');
  });
});

describe('auth specs', () => {
  it('describe the connection form as plain JSON', () => {
    const spec = auth.oauth2ClientCredentials({ rateLimit: { perSecond: 5 } });
    expect(Object.keys(spec.props)).toEqual(['tokenUrl', 'scope']);
    expect(Object.keys(spec.secrets)).toEqual(['clientId', 'clientSecret']);
    expect(spec.settings).toEqual({ clientAuth: 'body' });
    expect(auth.oauth2ClientCredentials({ tokenUrl: 'https://x.example.com/t', scope: 's' }).props).toEqual({});
    expect(Object.keys(auth.hmacWebhook().secrets)).toEqual(['webhookSecret']);
  });
  it('hmacWebhook signs no outgoing requests', () => {
    expect(requestAuthFor(auth.hmacWebhook())).toBeNull();
    expect(requestAuthFor(null)).toBeNull();
  });
});
