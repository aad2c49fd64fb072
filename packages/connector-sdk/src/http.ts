import type { z } from 'zod';
import { requestAuthFor, type RequestAuth, type RequestAuthContext, type TokenCache } from './auth.ts';
import { errorFromResponse, hostOf, pathOf } from './classify.ts';
import type { ResolvedConnection, StepServices } from './context.ts';
import type { AuthSpec } from './define.ts';
import { ConnectorError } from './errors.ts';
import { assertInCredentialScope, credentialScope, describeUrl, isInCredentialScope, type CredentialScope } from './credential-scope.ts';
import type { RateLimit } from './rate-limit.ts';
import { followRedirect } from './redirect.ts';
import { linkSignals } from './signals.ts';
import { send } from './transport.ts';

export type HttpMethod = 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type QueryScalar = string | number | boolean;
export type Query = Record<string, QueryScalar | null | undefined | readonly QueryScalar[]>;

export interface HttpRetryOptions {
  /** Total attempts for an idempotent read, first included; capped at 3 (the engine owns longer retries). */
  attempts?: number;
  /** First backoff when the server gave no Retry-After; doubled per attempt. Default 200 ms. */
  delayMs?: number;
  /** Longest wait worth holding the step for; a longer Retry-After goes back to the engine. Default 2 s. */
  maxDelayMs?: number;
}

export interface HttpClientOptions {
  /**
   * Prefix for relative paths; absolute URLs in a request are used as they are. With auth it is also
   * where the connection's credentials may go: a request outside it fails with URL_OUTSIDE_CONNECTION.
   */
  baseUrl?: string;
  /**
   * Origin and path prefix the connection's credentials are confined to, when it differs from `baseUrl`
   * (default `baseUrl`). A client with auth and neither refuses every request: credentials with no
   * declared destination could be sent anywhere.
   */
  credentialScope?: string;
  /** Declared auth spec (turned into request signing) or a request auth; null/undefined for none. */
  auth?: AuthSpec | RequestAuth | null;
  connection: ResolvedConnection | null;
  services: Pick<StepServices, 'fetch' | 'rateLimiter' | 'sleep' | 'now' | 'log'>;
  /** Per request, covering headers and body. Default 30 s. */
  timeoutMs?: number;
  /** Requests per second for this connection across all workers; defaults to the auth spec's. */
  rateLimit?: RateLimit;
  /** Key the limit is shared under; default `connection:<id>`, else the base URL's host. */
  rateLimitKey?: string;
  /** Bounded in-request retry of idempotent reads only. Off by default. */
  retry?: HttpRetryOptions;
  /** Usually the step's `ctx.signal`. */
  signal?: AbortSignal;
  /** Sent with every request (API version headers…). */
  headers?: Record<string, string>;
  /** Sent as the idempotency header on writes, usually the step's `ctx.idempotencyKey`. */
  idempotencyKey?: string;
  /** Default `Idempotency-Key`. */
  idempotencyHeader?: string;
  /** Service name for error messages; defaults to the host. */
  service?: string;
  /** Token cache for OAuth auth specs; defaults to one per process. */
  tokenCache?: TokenCache;
}

export interface HttpRequest<T = unknown> {
  method?: HttpMethod;
  /** Relative to `baseUrl`, or absolute (pagination links). */
  path: string;
  query?: Query;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is; set `content-type` in `headers`. */
  body?: string | Uint8Array | URLSearchParams;
  headers?: Record<string, string>;
  /** Whether this changes the other system. Default: every method except GET, HEAD and OPTIONS. */
  write?: boolean;
  /** Overrides the client's key for this write; `false` sends none. */
  idempotencyKey?: string | false;
  timeoutMs?: number;
  /** Statuses returned as a response instead of thrown; default 200–299. */
  successCodes?: readonly number[];
  /** Parses the success body; a mismatch is an UPSTREAM_ERROR (the vendor changed its API). */
  schema?: z.ZodType<T>;
  signal?: AbortSignal;
}

export interface HttpResponse<T = unknown> {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: T;
  url: string;
}

export interface HttpClient {
  request<T = unknown>(req: HttpRequest<T>): Promise<HttpResponse<T>>;
  get<T = unknown>(path: string, opts?: Omit<HttpRequest<T>, 'path' | 'method'>): Promise<HttpResponse<T>>;
  post<T = unknown>(path: string, json: unknown, opts?: Omit<HttpRequest<T>, 'path' | 'method' | 'json'>): Promise<HttpResponse<T>>;
  put<T = unknown>(path: string, json: unknown, opts?: Omit<HttpRequest<T>, 'path' | 'method' | 'json'>): Promise<HttpResponse<T>>;
  patch<T = unknown>(path: string, json: unknown, opts?: Omit<HttpRequest<T>, 'path' | 'method' | 'json'>): Promise<HttpResponse<T>>;
  delete<T = unknown>(path: string, opts?: Omit<HttpRequest<T>, 'path' | 'method'>): Promise<HttpResponse<T>>;
  /** The absolute URL a path resolves to (for pagination links and logs). */
  url(path: string, query?: Query): string;
}

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

function isRequestAuth(a: AuthSpec | RequestAuth): a is RequestAuth {
  return typeof (a as RequestAuth).apply === 'function';
}

function buildUrl(baseUrl: string | undefined, path: string, query: Query | undefined): string {
  let url: URL;
  if (/^https?:\/\//i.test(path)) url = new URL(path);
  else {
    if (baseUrl === undefined) throw new ConnectorError('CONFIG_INVALID', `"${path}" is not an absolute URL and the client has no base URL`);
    const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
    url = new URL(path.replace(/^\/+/, ''), base);
  }
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const item of v as readonly QueryScalar[]) url.searchParams.append(k, String(item));
    else url.searchParams.set(k, String(v));
  }
  return url.toString();
}

function headerRecord(h: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  h.forEach((v, k) => {
    out[k] = v;
  });
  return out;
}

/**
 * The one way connectors speak HTTP: JSON in and out, auth, the shared rate limit, a deadline per
 * request, and every failure classified into a ConnectorError (401 AUTH_INVALID, 403 AUTH_FORBIDDEN,
 * 404 NOT_FOUND, 409 CONFLICT, 400/422 VALIDATION with the vendor's text, 429 RATE_LIMITED and
 * 408/5xx UPSTREAM_UNAVAILABLE with `retryAfterMs`, NETWORK, TIMEOUT).
 *
 * Retries: a 401 is retried once with fresh credentials when the auth can refresh them (OAuth).
 * Idempotent reads may retry in-request (`retry`, at most 3 attempts, short waits). Writes never
 * retry here: the engine retries steps with backoff, and the idempotency key makes that safe.
 * @example
 * const erp = createHttpClient({ baseUrl: 'https://erp.example.com/api/v2/', auth: requestAuthFor(erpConnector.auth),
 *   connection: ctx.connection, services: ctx, signal: ctx.signal, idempotencyKey: ctx.idempotencyKey, rateLimit: { perSecond: 10 } });
 * const { body } = await erp.post('sales-orders', order); // sends Idempotency-Key
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { services, connection } = options;
  const requestAuth: RequestAuth | null =
    options.auth === undefined || options.auth === null ? null : isRequestAuth(options.auth) ? options.auth : requestAuthFor(options.auth, options.tokenCache ? { cache: options.tokenCache } : {});
  const rateLimit = options.rateLimit ?? (options.auth && !isRequestAuth(options.auth) ? options.auth.rateLimit : undefined);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retry = {
    attempts: Math.min(3, Math.max(1, options.retry?.attempts ?? 1)),
    delayMs: options.retry?.delayMs ?? 200,
    maxDelayMs: options.retry?.maxDelayMs ?? 2_000,
  };
  const limiterKey = (url: string): string => options.rateLimitKey ?? (connection ? `connection:${connection.id}` : `host:${hostOf(options.baseUrl ?? url)}`);

  const scopeBase = options.credentialScope ?? options.baseUrl;
  let scope: CredentialScope | undefined;
  const scopeOf = (): CredentialScope => {
    if (scopeBase === undefined) {
      throw new ConnectorError('CONFIG_INVALID', `connection "${connection?.name ?? '(none)'}" has credentials but no base URL, so there is no API they may be sent to; an admin must set its base URL`, {
        details: { connection: connection?.id ?? null, field: 'baseUrl' },
      });
    }
    scope ??= credentialScope(scopeBase);
    return scope;
  };

  /**
   * One exchange, following redirects by hand when credentials are involved: each hop gets them only
   * while it stays under the connection's base URL (fetch would keep an API-key header on any host).
   * Everything else about the next hop (method, body, headers dropped on another origin, the limit,
   * refused Locations) is fetch's rules, from `followRedirect`.
   */
  const exchange = async (x: { url: string; method: HttpMethod; headers: Headers; body: string | Uint8Array | URLSearchParams | undefined; timeoutMs: number; signal: AbortSignal | undefined; authCtx: RequestAuthContext }) => {
    let { url, method, body } = x;
    let headers = new Headers(x.headers);
    for (let redirects = 0; ; redirects++) {
      const hopHeaders = new Headers(headers);
      const withCredentials = requestAuth !== null && isInCredentialScope(url, scopeOf());
      if (withCredentials) await requestAuth.apply(hopHeaders, x.authCtx);
      const started = services.now();
      const res = await send({
        fetch: services.fetch,
        url,
        method,
        headers: hopHeaders,
        timeoutMs: x.timeoutMs,
        ...(body !== undefined ? { body } : {}),
        ...(x.signal ? { signal: x.signal } : {}),
        ...(requestAuth !== null ? { redirect: 'manual' as const } : {}),
      });
      services.log.debug('http request', { method, host: hostOf(url), path: pathOf(url), status: res.status, ms: services.now() - started });
      if (requestAuth === null) return { res, withCredentials };
      const decision = followRedirect({ request: { method, url, headers, body }, status: res.status, location: res.headers.get('location'), redirects });
      if (decision.kind === 'final') return { res, withCredentials };
      if (decision.kind === 'refuse') {
        throw new ConnectorError('UPSTREAM_ERROR', `${options.service ?? hostOf(url)} ${method} ${pathOf(url)}: ${decision.message}`, {
          kind: 'internal',
          retryable: false,
          details: { redirect: decision.code },
        });
      }
      const next = decision.request;
      services.log.debug('http redirect', { status: res.status, from: describeUrl(url), to: describeUrl(next.url), credentials: isInCredentialScope(next.url, scopeOf()) });
      ({ method, url, headers, body } = next);
    }
  };

  const once = async <T>(req: HttpRequest<T>, url: string, method: HttpMethod, write: boolean, signal: AbortSignal | undefined): Promise<HttpResponse<T>> => {
    const reqTimeout = req.timeoutMs ?? timeoutMs;
    const authCtx: RequestAuthContext = { connection, services, timeoutMs: reqTimeout, ...(signal ? { signal } : {}) };
    let refreshed = false;
    for (;;) {
      if (rateLimit) {
        const { waitedMs } = await services.rateLimiter.acquire(limiterKey(url), rateLimit, signal);
        if (waitedMs > 0) services.log.debug('rate limit wait', { key: limiterKey(url), waitedMs });
      }
      const headers = new Headers({ accept: 'application/json', ...(options.headers ?? {}), ...(req.headers ?? {}) });
      let body: string | Uint8Array | URLSearchParams | undefined = req.body;
      if (req.json !== undefined) {
        body = JSON.stringify(req.json);
        if (!headers.has('content-type')) headers.set('content-type', 'application/json');
      }
      const key = req.idempotencyKey === false ? undefined : (req.idempotencyKey ?? options.idempotencyKey);
      const keyHeader = options.idempotencyHeader ?? 'Idempotency-Key';
      if (write && key !== undefined && !headers.has(keyHeader)) headers.set(keyHeader, key);

      const { res, withCredentials } = await exchange({ url, method, headers, body, timeoutMs: reqTimeout, signal, authCtx });

      // A 401 was not acted on, so even a write may be sent again once with fresh credentials.
      if (res.status === 401 && withCredentials && !refreshed && requestAuth?.invalidate?.(authCtx)) {
        refreshed = true;
        continue;
      }
      const ok = req.successCodes ? req.successCodes.includes(res.status) : res.status >= 200 && res.status <= 299;
      if (!ok) throw errorFromResponse({ status: res.status, headers: res.headers, body: res.body, method, url, nowMs: services.now(), ...(options.service ? { service: options.service } : {}) });
      if (res.invalidJson) {
        throw new ConnectorError('UPSTREAM_ERROR', `${options.service ?? hostOf(url)} sent a response that says it is JSON but does not parse (${method} ${pathOf(url)})`, {
          kind: 'internal',
          retryable: !write,
          status: res.status,
        });
      }
      let parsed = res.body as T;
      if (req.schema) {
        const r = req.schema.safeParse(res.body);
        if (!r.success) {
          throw new ConnectorError('UPSTREAM_ERROR', `${options.service ?? hostOf(url)} answered ${method} ${pathOf(url)} in an unexpected shape`, {
            kind: 'internal',
            retryable: false,
            status: res.status,
            details: { issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
          });
        }
        parsed = r.data;
      }
      return { status: res.status, headers: headerRecord(res.headers), body: parsed, url: res.url };
    }
  };

  const request = async <T>(req: HttpRequest<T>): Promise<HttpResponse<T>> => {
    const method = req.method ?? 'GET';
    const write = req.write ?? !READ_METHODS.has(method);
    const url = buildUrl(options.baseUrl, req.path, req.query);
    // Before anything is sent: credentials never leave the connection's base URL (pagination links,
    // URLs a flow computes, relative paths with `..`).
    if (requestAuth !== null) assertInCredentialScope({ url, scope: scopeOf(), connectionName: connection?.name ?? '(none)' });
    const link = options.signal !== undefined && req.signal !== undefined ? linkSignals([options.signal, req.signal]) : undefined;
    const signal = link?.signal ?? options.signal ?? req.signal;
    const attempts = write ? 1 : retry.attempts;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await once(req, url, method, write, signal);
        } catch (err) {
          if (!(err instanceof ConnectorError) || !err.retryable || attempt >= attempts) throw err;
          const wait = err.retryAfterMs ?? retry.delayMs * 2 ** (attempt - 1);
          if (wait > retry.maxDelayMs) throw err;
          services.log.debug('retrying read', { method, path: pathOf(url), code: err.code, attempt, waitMs: wait });
          await services.sleep(wait, signal);
        }
      }
    } finally {
      link?.dispose();
    }
  };

  return {
    request,
    get: (path, opts) => request({ ...opts, path, method: 'GET' }),
    post: (path, json, opts) => request({ ...opts, path, json, method: 'POST' }),
    put: (path, json, opts) => request({ ...opts, path, json, method: 'PUT' }),
    patch: (path, json, opts) => request({ ...opts, path, json, method: 'PATCH' }),
    delete: (path, opts) => request({ ...opts, path, method: 'DELETE' }),
    url: (path, query) => buildUrl(options.baseUrl, path, query),
  };
}
