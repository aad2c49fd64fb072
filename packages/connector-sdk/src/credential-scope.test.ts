import { describe, expect, it } from 'vitest';
import { assertInCredentialScope, credentialScope, isInCredentialScope } from './credential-scope.ts';
import { ConnectorError } from './errors.ts';

describe('credentialScope', () => {
  it('normalises host case and default ports, and always ends the path prefix with a slash', () => {
    expect(credentialScope('HTTPS://API.Example.com:443/v1')).toMatchObject({ origin: 'https://api.example.com', pathPrefix: '/v1/' });
    expect(credentialScope('http://127.0.0.1:3102/')).toMatchObject({ origin: 'http://127.0.0.1:3102', pathPrefix: '/' });
    expect(credentialScope('http://127.0.0.1:3102')).toMatchObject({ origin: 'http://127.0.0.1:3102', pathPrefix: '/' });
    expect(credentialScope('https://api.example.com/a/../v2/')).toMatchObject({ pathPrefix: '/v2/' });
  });

  it.each(['api.example.com/v1', 'ftp://api.example.com/', 'file:///etc/passwd', '', 'https://user:pw@api.example.com/'])('refuses %j as a base URL', (base) => {
    expect(() => credentialScope(base)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }) as Error);
  });
});

describe('isInCredentialScope', () => {
  const v1 = credentialScope('https://api.example.com/v1/');
  const root = credentialScope('http://127.0.0.1:3102/');

  it.each([
    ['https://api.example.com/v1/orders', v1],
    ['https://api.example.com/v1/orders?status=open#x', v1],
    ['https://api.example.com/v1/', v1],
    ['https://api.example.com/v1', v1],
    ['https://API.EXAMPLE.COM:443/v1/orders', v1],
    ['https://api.example.com/v1/a/../orders', v1],
    ['https://api.example.com/v1/orders/%2E/x', v1],
    ['http://127.0.0.1:3102/steal', root],
    ['http://127.0.0.1:3102', root],
  ])('lets %s carry the credentials', (url, scope) => {
    expect(isInCredentialScope(url, scope)).toBe(true);
  });

  it.each([
    ['another host', 'https://evil.example.com/v1/orders', v1],
    ['a look-alike host', 'https://api.example.com.evil.com/v1/orders', v1],
    ['userinfo hiding the host', 'https://api.example.com@evil.com/v1/orders', v1],
    ['userinfo on the right host', 'https://someone@api.example.com/v1/orders', v1],
    ['another scheme', 'http://api.example.com/v1/orders', v1],
    ['another port', 'https://api.example.com:8443/v1/orders', v1],
    ['localhost for 127.0.0.1', 'http://localhost:3102/steal', root],
    ['another port on the same host', 'http://127.0.0.1:3103/steal', root],
    ['a sibling path', 'https://api.example.com/v2/orders', v1],
    ['a path that only starts with the prefix', 'https://api.example.com/v1evil/orders', v1],
    ['.. out of the prefix', 'https://api.example.com/v1/../admin', v1],
    ['encoded .. out of the prefix', 'https://api.example.com/v1/%2e%2e/admin', v1],
    ['backslash .. out of the prefix', 'https://api.example.com/v1\\..\\admin', v1],
    ['an encoded slash the server may decode', 'https://api.example.com/v1/..%2Fadmin', v1],
    ['an encoded backslash', 'https://api.example.com/v1/..%5cadmin', v1],
    ['the root above the prefix', 'https://api.example.com/', v1],
    ['not a URL', 'v1/orders', v1],
    ['another protocol', 'ftp://api.example.com/v1/orders', v1],
  ])('keeps them from %s', (_what, url, scope) => {
    expect(isInCredentialScope(url, scope)).toBe(false);
  });
});

describe('assertInCredentialScope', () => {
  it('fails as a user error, not retryable, naming the URL and the base URL without query strings', () => {
    let err: unknown;
    try {
      assertInCredentialScope({ url: 'http://localhost:3102/steal?token=abc', scope: credentialScope('http://127.0.0.1:3102/?k=v'), connectionName: 'qa-http' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ code: 'URL_OUTSIDE_CONNECTION', kind: 'user', retryable: false, details: { url: 'http://localhost:3102/steal', baseUrl: 'http://127.0.0.1:3102/', connection: 'qa-http' } });
    expect((err as Error).message).toContain('http://localhost:3102/steal');
    expect((err as Error).message).toContain('http://127.0.0.1:3102/');
    expect((err as Error).message).toContain('"qa-http"');
    expect((err as Error).message).not.toContain('token=abc');
  });
});
