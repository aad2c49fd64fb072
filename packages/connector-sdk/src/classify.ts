import { ConnectorError, type ConnectorErrorCode, type ErrorKind } from './errors.ts';

/**
 * Milliseconds to wait from a `Retry-After` header: delta-seconds (`"7"`, `"1.5"`) or an HTTP date.
 * Undefined when absent or unreadable; never negative.
 * @example parseRetryAfter('120', Date.now()) // 120000
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  return undefined;
}

function flatten(v: unknown, prefix = ''): string[] {
  if (typeof v === 'string') return [prefix ? `${prefix} ${v}` : v];
  if (Array.isArray(v)) return v.flatMap((x) => flatten(x, prefix));
  if (typeof v === 'object' && v !== null) {
    const m = text((v as Record<string, unknown>)['message']);
    if (m) return [prefix ? `${prefix}: ${m}` : m];
    return Object.entries(v).flatMap(([k, x]) => flatten(x, prefix ? `${prefix}.${k}` : k));
  }
  return [];
}

/**
 * The vendor's own words from an error body, for messages users read: `{ error }`, `{ error: { message } }`,
 * `{ errors: … }` (Shopify, GraphQL), `{ message }`, `{ error_description }`, problem+json `{ title, detail }`,
 * OData `{ error: { message: { value } } }`, or the text itself.
 * @example vendorErrorText({ errors: { email: ['is invalid'] } }) // 'email is invalid'
 */
export function vendorErrorText(body: unknown, maxLength = 500): string | undefined {
  let found: string | undefined;
  if (typeof body === 'string') found = text(body);
  else if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    const err = b['error'];
    const errObj = typeof err === 'object' && err !== null ? (err as Record<string, unknown>) : undefined;
    const odataMessage = errObj && typeof errObj['message'] === 'object' && errObj['message'] !== null ? text((errObj['message'] as Record<string, unknown>)['value']) : undefined;
    found =
      text(b['error_description']) ??
      odataMessage ??
      text(errObj?.['message']) ??
      text(err) ??
      text(b['detail']) ??
      text(b['message']) ??
      (b['errors'] !== undefined ? text(flatten(b['errors']).join('; ')) : undefined) ??
      text(b['title']);
  } else if (Array.isArray(body)) found = text(flatten(body).join('; '));
  if (found === undefined) return undefined;
  return found.length > maxLength ? `${found.slice(0, maxLength)}…` : found;
}

interface StatusRule {
  code: ConnectorErrorCode;
  kind: ErrorKind;
  retryable: boolean;
  what: string;
}

function ruleFor(status: number): StatusRule {
  if (status === 401) return { code: 'AUTH_INVALID', kind: 'user', retryable: false, what: 'rejected the credentials' };
  if (status === 403) return { code: 'AUTH_FORBIDDEN', kind: 'user', retryable: false, what: 'refused access' };
  if (status === 404) return { code: 'NOT_FOUND', kind: 'user', retryable: false, what: 'has no such resource' };
  if (status === 409) return { code: 'CONFLICT', kind: 'user', retryable: false, what: 'reported a conflict' };
  if (status === 400 || status === 422) return { code: 'VALIDATION', kind: 'user', retryable: false, what: 'rejected the request' };
  if (status === 429) return { code: 'RATE_LIMITED', kind: 'transient', retryable: true, what: 'is rate limiting' };
  if (status === 408 || status >= 500) return { code: 'UPSTREAM_UNAVAILABLE', kind: 'transient', retryable: true, what: 'is unavailable' };
  // Other 4xx (405, 410, 413…) will not get better by repeating the same request.
  return { code: 'UPSTREAM_ERROR', kind: 'user', retryable: false, what: 'refused the request' };
}

/**
 * The ConnectorError for a non-success response (the table `createHttpClient` applies; exported for
 * connectors that speak HTTP some other way, e.g. a GraphQL client's transport). User errors carry the vendor's error text; transient
 * ones carry `retryAfterMs` from Retry-After so the engine waits as long as the server asked.
 */
export function errorFromResponse(res: { status: number; headers: Headers; body: unknown; method: string; url: string; nowMs: number; service?: string }): ConnectorError {
  const rule = ruleFor(res.status);
  const vendor = vendorErrorText(res.body);
  const service = res.service ?? hostOf(res.url);
  const retryAfterMs = rule.retryable ? parseRetryAfter(res.headers.get('retry-after'), res.nowMs) : undefined;
  const message = `${service} ${rule.what} (HTTP ${res.status} on ${res.method} ${pathOf(res.url)})${vendor ? `: ${vendor}` : ''}`;
  return new ConnectorError(rule.code, message, {
    kind: rule.kind,
    retryable: rule.retryable,
    status: res.status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    details: { status: res.status, method: res.method, path: pathOf(res.url), ...(vendor ? { vendorMessage: vendor } : {}), body: truncatedBody(res.body) },
  });
}

/** Host name for messages; never the query string, which may carry an API key. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}

export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

function truncatedBody(body: unknown): unknown {
  if (body === null || body === undefined) return null;
  const s = typeof body === 'string' ? body : JSON.stringify(body);
  return s.length > 2000 ? `${s.slice(0, 2000)}…` : body;
}

/** `fetch` failing before any response: DNS, refused or reset connections, TLS. */
export function networkError(err: unknown, opts: { method: string; url: string }): ConnectorError {
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
  const sysCode = typeof cause?.code === 'string' ? cause.code : undefined;
  return new ConnectorError('NETWORK', `could not reach ${hostOf(opts.url)} (${opts.method} ${pathOf(opts.url)})${sysCode ? `: ${sysCode}` : ''}`, {
    details: { method: opts.method, path: pathOf(opts.url), ...(sysCode ? { systemCode: sysCode } : {}) },
    cause: err,
  });
}

export function timeoutError(opts: { method: string; url: string; timeoutMs: number }): ConnectorError {
  return new ConnectorError('TIMEOUT', `${hostOf(opts.url)} did not answer ${opts.method} ${pathOf(opts.url)} within ${opts.timeoutMs} ms`, {
    details: { method: opts.method, path: pathOf(opts.url), timeoutMs: opts.timeoutMs },
  });
}
