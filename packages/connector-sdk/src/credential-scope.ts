import { ConnectorError } from './errors.ts';

/**
 * Where a connection's credentials may go: one origin (scheme, host, port) and a path prefix.
 * Built from the connection's base URL; a request URL is inside when it has the same origin, no
 * userinfo of its own, and its path is the prefix itself or lies below it.
 */
export interface CredentialScope {
  /** The base URL as configured, for messages. */
  readonly baseUrl: string;
  /** `https://api.example.com` (lower-case host, no default port): the WHATWG URL origin. */
  readonly origin: string;
  /** The base URL's path, always ending with `/`: `/v1/`. */
  readonly pathPrefix: string;
}

function parseHttpUrl(text: string): URL | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
}

/**
 * The scope a base URL gives credentials. The URL parser does the normalising that matters here:
 * host case, default ports (`:443` on https), `.`/`..` segments (also `%2e%2e`) and `\` as `/`.
 * @example credentialScope('https://API.example.com:443/v1') // { origin: 'https://api.example.com', pathPrefix: '/v1/' }
 */
export function credentialScope(baseUrl: string): CredentialScope {
  const url = parseHttpUrl(baseUrl);
  if (url === null) throw new ConnectorError('CONFIG_INVALID', `base URL "${baseUrl}" is not an absolute http:// or https:// URL`, { details: { baseUrl } });
  if (url.username !== '' || url.password !== '') {
    // Credentials belong in the connection's secrets, and a base URL with userinfo would be echoed in messages.
    throw new ConnectorError('CONFIG_INVALID', `base URL of a connection must not contain a user name or password (${url.origin}${url.pathname})`, { details: { baseUrl: `${url.origin}${url.pathname}` } });
  }
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  return { baseUrl, origin: url.origin, pathPrefix: path };
}

/**
 * An encoded `/` or `\` could be decoded by the server into `..` segments that leave the prefix
 * (`/v1/..%2fadmin`); encoded dot segments (`%2e%2e`) are already resolved by the URL parser.
 */
const ENCODED_SEPARATOR = /%(?:2f|5c)/i;

/**
 * True when `url` may carry the credentials of a connection with this scope.
 * @example isInCredentialScope('https://api.example.com/v1/orders?x=1', credentialScope('https://api.example.com/v1/')) // true
 */
export function isInCredentialScope(url: string, scope: CredentialScope): boolean {
  const u = parseHttpUrl(url);
  if (u === null || u.origin !== scope.origin || u.username !== '' || u.password !== '') return false;
  if (u.pathname === scope.pathPrefix || `${u.pathname}/` === scope.pathPrefix) return true;
  if (!u.pathname.startsWith(scope.pathPrefix)) return false;
  // Below the prefix, an encoded separator could still climb out once the server decodes it.
  return !ENCODED_SEPARATOR.test(u.pathname.slice(scope.pathPrefix.length));
}

/** The URL without userinfo, query or fragment: enough to say where, without echoing tokens in query strings. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
}

/**
 * Throws URL_OUTSIDE_CONNECTION (a user error, not retryable) unless `url` is inside the scope.
 * @example assertInCredentialScope({ url, scope: credentialScope(baseUrl), connectionName: 'erp' })
 */
export function assertInCredentialScope(opts: { url: string; scope: CredentialScope; connectionName: string }): void {
  if (isInCredentialScope(opts.url, opts.scope)) return;
  const where = describeUrl(opts.url);
  throw new ConnectorError(
    'URL_OUTSIDE_CONNECTION',
    `${where} is outside the base URL of connection "${opts.connectionName}" (${describeUrl(opts.scope.baseUrl)}); its credentials are only sent to URLs under the base URL. Use a URL under it, or a connection for that API`,
    { details: { url: where, baseUrl: describeUrl(opts.scope.baseUrl), connection: opts.connectionName } },
  );
}
