/**
 * fetch's redirect rules as one pure function, shared by every client that follows redirects by hand
 * (the SDK's HTTP client when credentials are involved, the server's node:http fetch). Uses only the
 * WHATWG `URL` and `Headers` globals, so it runs in Node, the browser and an isolate alike.
 */

/** Statuses that are followed when the response carries a Location. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** As in fetch: twenty redirects are followed, the twenty-first is refused. */
export const MAX_REDIRECTS = 20;

/** Shared: most responses are not redirects, and the HTTP fetch asks about every one. */
const FINAL = Object.freeze({ kind: 'final' as const });

/** Headers that describe a body and go with it when a redirect turns the request into a GET. */
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'] as const;

/**
 * Headers that must not reach another origin. fetch drops Authorization; Proxy-Authorization and Cookie
 * are as personal, and a Host set by the caller would name the old server to the new one.
 */
const ORIGIN_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'host'] as const;

/** A request as far as redirects care. `B` is whatever body type the caller sends (string, bytes, Buffer…). */
export interface RedirectRequest<B, M extends string = string> {
  /** Upper case, as sent. */
  method: M;
  /** Absolute http: or https: URL. */
  url: string;
  headers: Headers;
  body: B | undefined;
}

/** Why a redirect is not followed; the transport turns it into its own error. */
export type RedirectRefusalCode = 'TOO_MANY_REDIRECTS' | 'INVALID_LOCATION' | 'UNSUPPORTED_PROTOCOL';

export type RedirectDecision<B, M extends string = string> =
  /** Not a redirect to follow (another status, or a 3xx without Location): the response is the answer. */
  | { kind: 'final' }
  /** Send this next; `headers` is a new object, the caller's is left as it was. */
  | { kind: 'follow'; request: RedirectRequest<B, M | 'GET'> }
  /** A redirect that must not be followed; `message` is a phrase to put after the transport's own prefix ("fetch failed: "). */
  | { kind: 'refuse'; code: RedirectRefusalCode; message: string };

export interface FollowRedirectOptions<B, M extends string = string> {
  /** The request that got this response (its method, URL, headers and body as sent). */
  request: Omit<RedirectRequest<B, M>, 'url'> & { url: string | URL };
  status: number;
  /** The response's Location header, as received (relative or absolute); null/undefined when absent. */
  location: string | null | undefined;
  /** How many redirects this request has already followed (0 for the first response). */
  redirects: number;
}

/**
 * The next request after a response, by fetch's rules: 303 (except after HEAD), and 301/302 after a
 * POST, become a GET without the body or the headers describing it; 307/308 keep method and body; a hop
 * to another origin loses Authorization, Proxy-Authorization, Cookie and Host; at most
 * {@link MAX_REDIRECTS}; a Location that does not parse or is not http:/https: is refused.
 *
 * It decides nothing about a connection's credentials: a client that adds them per hop must check each
 * `request.url` itself (see `isInCredentialScope`).
 * @example
 * const d = followRedirect({ request: { method, url, headers, body }, status: res.status, location: res.headers.get('location'), redirects });
 * if (d.kind === 'refuse') throw new Error(`fetch failed: ${d.message}`);
 * if (d.kind === 'follow') ({ method, url, headers, body } = d.request);
 */
export function followRedirect<B, M extends string = string>(opts: FollowRedirectOptions<B, M>): RedirectDecision<B, M> {
  const { request, status, location } = opts;
  if (!REDIRECT_STATUSES.has(status) || location === null || location === undefined) return FINAL;
  if (opts.redirects >= MAX_REDIRECTS) return { kind: 'refuse', code: 'TOO_MANY_REDIRECTS', message: `too many redirects (more than ${MAX_REDIRECTS})` };
  const from = typeof request.url === 'string' ? new URL(request.url) : request.url;
  let to: URL;
  try {
    to = new URL(location, from);
  } catch {
    // The Location is not echoed: it is the other side's text and may be long or carry a token.
    return { kind: 'refuse', code: 'INVALID_LOCATION', message: `HTTP ${status} redirect to a Location that is not a valid URL` };
  }
  if (to.protocol !== 'http:' && to.protocol !== 'https:') {
    return { kind: 'refuse', code: 'UNSUPPORTED_PROTOCOL', message: `HTTP ${status} redirect to a ${to.protocol} URL; only http: and https: are followed` };
  }
  const headers = new Headers(request.headers);
  let method: M | 'GET' = request.method;
  let body = request.body;
  if (status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST') {
    method = 'GET';
    body = undefined;
    for (const name of BODY_HEADERS) headers.delete(name);
  }
  if (to.origin !== from.origin) for (const name of ORIGIN_HEADERS) headers.delete(name);
  return { kind: 'follow', request: { method, url: to.href, headers, body } };
}
