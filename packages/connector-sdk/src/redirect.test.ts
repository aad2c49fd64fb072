import { describe, expect, it } from 'vitest';
import { followRedirect, MAX_REDIRECTS, type RedirectDecision } from './redirect.ts';

const API = 'https://api.example.com/v1/orders';

interface Sent {
  method?: string;
  url?: string | URL;
  headers?: Record<string, string>;
  body?: string;
}

function decide(status: number, location: string | null | undefined, sent: Sent = {}, redirects = 0): RedirectDecision<string> {
  return followRedirect<string>({
    request: { method: sent.method ?? 'GET', url: sent.url ?? API, headers: new Headers(sent.headers ?? {}), body: sent.body },
    status,
    location,
    redirects,
  });
}

/** The next request as plain data, or the test fails naming what came instead. */
function next(d: RedirectDecision<string>): { method: string; url: string; headers: Record<string, string>; body: string | undefined } {
  if (d.kind !== 'follow') throw new Error(`expected a redirect to follow, got ${JSON.stringify(d)}`);
  return { method: d.request.method, url: d.request.url, headers: Object.fromEntries(d.request.headers), body: d.request.body };
}

const jsonPost = { method: 'POST', headers: { 'content-type': 'application/json', 'content-language': 'de', 'x-request-id': 'r1' }, body: '{"a":1}' };

describe('followRedirect: which responses are redirects', () => {
  it.each([200, 201, 204, 300, 304, 305, 306, 400, 500])('treats HTTP %i as the answer, Location or not', (status) => {
    expect(decide(status, '/elsewhere')).toEqual({ kind: 'final' });
  });

  it.each([301, 302, 303, 307, 308])('treats HTTP %i without a Location as the answer', (status) => {
    expect(decide(status, null)).toEqual({ kind: 'final' });
    expect(decide(status, undefined)).toEqual({ kind: 'final' });
  });

  it('resolves a relative Location against the current URL, and accepts the URL as a URL object', () => {
    expect(next(decide(302, 'page-2?x=1')).url).toBe('https://api.example.com/v1/page-2?x=1');
    expect(next(decide(302, '/v2/orders', { url: new URL(API) })).url).toBe('https://api.example.com/v2/orders');
    expect(next(decide(302, '//other.example.com/x')).url).toBe('https://other.example.com/x');
  });
});

describe('followRedirect: method and body, as fetch', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'GET'])('303 after %s is a GET without the body or the headers describing it', (method) => {
    expect(next(decide(303, '/v1/status', { ...jsonPost, method }))).toEqual({
      method: 'GET',
      url: 'https://api.example.com/v1/status',
      headers: { 'x-request-id': 'r1' },
      body: undefined,
    });
  });

  it('303 after HEAD stays a HEAD', () => {
    expect(next(decide(303, '/v1/status', { method: 'HEAD' })).method).toBe('HEAD');
  });

  it.each([301, 302])('%i turns a POST into a GET without its body', (status) => {
    expect(next(decide(status, '/v1/moved', jsonPost))).toMatchObject({ method: 'GET', headers: { 'x-request-id': 'r1' }, body: undefined });
  });

  it.each([301, 302])('%i keeps the method and body of anything but a POST', (status) => {
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      expect(next(decide(status, '/v1/moved', { ...jsonPost, method }))).toMatchObject({ method, headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    }
  });

  it.each([307, 308])('%i keeps method, body and body headers', (status) => {
    expect(next(decide(status, '/v1/moved', jsonPost))).toEqual({
      method: 'POST',
      url: 'https://api.example.com/v1/moved',
      headers: { 'content-type': 'application/json', 'content-language': 'de', 'x-request-id': 'r1' },
      body: '{"a":1}',
    });
  });

  it('keeps a byte body as the same bytes', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const d = followRedirect({ request: { method: 'PUT', url: API, headers: new Headers(), body: bytes }, status: 308, location: '/v1/x', redirects: 0 });
    expect(d.kind === 'follow' && d.request.body).toBe(bytes);
  });
});

describe('followRedirect: headers on another origin', () => {
  const personal = { authorization: 'Bearer secret', 'proxy-authorization': 'Basic p', cookie: 'session=1', host: 'api.example.com', 'x-api-key': 'k', accept: 'application/json' };

  it.each([
    ['another host', 'https://other.example.com/v1/orders'],
    ['another port', 'https://api.example.com:8443/v1/orders'],
    ['another scheme', 'http://api.example.com/v1/orders'],
  ])('drops Authorization, Proxy-Authorization, Cookie and Host on %s', (_, location) => {
    // Other headers stay: keeping a connection's own credential headers off other hosts is the caller's
    // credential scope, which knows which headers the auth added.
    expect(next(decide(302, location, { headers: personal })).headers).toEqual({ 'x-api-key': 'k', accept: 'application/json' });
  });

  it('keeps them on the same origin, including one spelled differently', () => {
    expect(next(decide(307, 'https://API.EXAMPLE.COM:443/v1/other', { headers: personal })).headers).toEqual(personal);
    expect(next(decide(307, '/elsewhere', { headers: personal })).headers).toEqual(personal);
  });

  it('leaves the caller’s headers as they were', () => {
    const headers = new Headers({ ...personal, 'content-type': 'application/json' });
    const d = followRedirect({ request: { method: 'POST', url: API, headers, body: '{}' }, status: 303, location: 'https://other.example.com/', redirects: 0 });
    expect(d.kind === 'follow' && d.request.headers).not.toBe(headers);
    expect(Object.fromEntries(headers)).toEqual({ ...personal, 'content-type': 'application/json' });
  });
});

describe('followRedirect: refusals', () => {
  it(`follows ${MAX_REDIRECTS} redirects and refuses the next`, () => {
    expect(decide(302, '/v1/loop', {}, MAX_REDIRECTS - 1).kind).toBe('follow');
    expect(decide(302, '/v1/loop', {}, MAX_REDIRECTS)).toEqual({ kind: 'refuse', code: 'TOO_MANY_REDIRECTS', message: 'too many redirects (more than 20)' });
  });

  it('refuses a Location that does not parse, without echoing it', () => {
    const d = decide(302, 'http://[not-a-host?token=abc');
    expect(d).toMatchObject({ kind: 'refuse', code: 'INVALID_LOCATION' });
    expect(d.kind === 'refuse' && d.message).not.toContain('token');
  });

  it.each(['ftp://files.example.com/x', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/plain,hi', 'mailto:a@example.com'])('refuses a redirect to %s', (location) => {
    expect(decide(301, location)).toMatchObject({ kind: 'refuse', code: 'UNSUPPORTED_PROTOCOL', message: expect.stringContaining(`to a ${new URL(location).protocol} URL`) as string });
  });

  it('checks the limit before the Location, as fetch does', () => {
    expect(decide(302, 'ftp://x', {}, MAX_REDIRECTS)).toMatchObject({ code: 'TOO_MANY_REDIRECTS' });
  });
});
