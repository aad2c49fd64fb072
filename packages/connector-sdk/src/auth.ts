import { z } from 'zod';
import { errorFromResponse, vendorErrorText } from './classify.ts';
import { describeUrl } from './credential-scope.ts';
import { sha256, toBase64, utf8 } from './digest.ts';
import type { ResolvedConnection, StepServices } from './context.ts';
import type { AuthSpec } from './define.ts';
import { ConnectorError } from './errors.ts';
import { prop, type PropDefs } from './props.ts';
import type { RateLimit } from './rate-limit.ts';
import { send } from './transport.ts';

/** What request auth may use: the connection's values and the host's fetch and clock. */
export interface RequestAuthContext {
  connection: ResolvedConnection | null;
  services: Pick<StepServices, 'fetch' | 'now'>;
  signal?: AbortSignal;
  timeoutMs: number;
}

/** Puts a connection's credentials on an outgoing request. */
export interface RequestAuth {
  apply(headers: Headers, ctx: RequestAuthContext): Promise<void>;
  /** Called after a 401: drops cached credentials; true when one more attempt with fresh ones makes sense. */
  invalidate?(ctx: RequestAuthContext): boolean;
}

function requireConnection(ctx: RequestAuthContext): ResolvedConnection {
  if (ctx.connection === null) throw new ConnectorError('CONNECTION_MISSING', 'this step needs a connection, but none is selected');
  return ctx.connection;
}

/** A value from the connection's secrets, else its config (usernames and client ids may be either). */
function field(conn: ResolvedConnection, name: string, opts: { secret: boolean }): string {
  const fromSecrets = conn.secrets[name];
  const fromConfig = conn.config[name];
  const value = fromSecrets ?? (opts.secret ? undefined : typeof fromConfig === 'string' ? fromConfig : undefined);
  if (value === undefined || value === '') {
    throw new ConnectorError('CONFIG_INVALID', `connection "${conn.name}" has no ${opts.secret ? 'secret ' : ''}"${name}"`, { details: { connection: conn.id, field: name } });
  }
  return value;
}

function optionalConfig(conn: ResolvedConnection, name: string): string | undefined {
  const v = conn.config[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export interface ApiTokenOptions {
  /** Header that carries the token; default `Authorization`. */
  header?: string;
  /** Text before the token; default `Bearer ` (use `''` for `X-Shopify-Access-Token`-style headers). */
  prefix?: string;
  /** Secret field holding the token; default `token`. */
  secret?: string;
}

/**
 * API token in a header.
 * @example apiTokenAuth({ header: 'X-Shopify-Access-Token', prefix: '' })
 */
export function apiTokenAuth(options: ApiTokenOptions = {}): RequestAuth {
  const header = options.header ?? 'Authorization';
  const prefix = options.prefix ?? 'Bearer ';
  const secret = options.secret ?? 'token';
  return {
    async apply(headers, ctx) {
      headers.set(header, prefix + field(requireConnection(ctx), secret, { secret: true }));
    },
  };
}

export interface BasicAuthOptions {
  /** Field holding the user name (secrets or config); default `username`. */
  username?: string;
  /** Secret field holding the password; default `password`. */
  password?: string;
}

/** @example basicAuth() // Authorization: Basic base64(username:password) */
export function basicAuth(options: BasicAuthOptions = {}): RequestAuth {
  const u = options.username ?? 'username';
  const p = options.password ?? 'password';
  return {
    async apply(headers, ctx) {
      const conn = requireConnection(ctx);
      headers.set('Authorization', `Basic ${toBase64(utf8(`${field(conn, u, { secret: false })}:${field(conn, p, { secret: true })}`))}`);
    },
  };
}

export interface CachedToken {
  accessToken: string;
  tokenType: string;
  /** Epoch ms; `null` when the server gave no lifetime (kept until a 401). */
  expiresAt: number | null;
}

/** Where OAuth tokens live between steps; one per process by default. */
export interface TokenCache {
  get(key: string): CachedToken | undefined;
  set(key: string, token: CachedToken): void;
  delete(key: string): void;
}

export function createTokenCache(): TokenCache {
  const m = new Map<string, CachedToken>();
  return { get: (k) => m.get(k), set: (k, t) => void m.set(k, t), delete: (k) => void m.delete(k) };
}

const processTokenCache = createTokenCache();
// In-flight token requests per cache, shared by every RequestAuth built on it: steps build their client
// per run, and ten concurrent steps on one connection should still make one token request.
const inflightByCache = new WeakMap<TokenCache, Map<string, Promise<CachedToken>>>();

export interface OAuth2ClientCredentialsOptions {
  /** Token endpoint; when absent it is read from the connection config `tokenUrl`. */
  tokenUrl?: string;
  /** Space-separated scopes; when absent, the connection config `scope`, else none. */
  scope?: string;
  /** How the client authenticates at the token endpoint (RFC 6749 §2.3.1); default `body`. */
  clientAuth?: 'body' | 'basic';
  /** Refresh this long before the token expires; default 60 s. */
  skewMs?: number;
  cache?: TokenCache;
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
});

/**
 * OAuth2 client credentials (RFC 6749 §4.4). The token is cached per connection until its expiry minus
 * `skewMs`, fetched once for concurrent requests, and dropped on a 401 so the client retries once with a new one.
 * Reads `clientId` and `clientSecret` from the connection's secrets (`clientId` may also be config).
 * @example oauth2ClientCredentialsAuth({ tokenUrl: 'https://login.example.com/oauth2/token', scope: 'api.read api.write' })
 */
export function oauth2ClientCredentialsAuth(options: OAuth2ClientCredentialsOptions = {}): RequestAuth {
  const cache = options.cache ?? processTokenCache;
  const skewMs = options.skewMs ?? 60_000;
  let inflight = inflightByCache.get(cache);
  if (!inflight) {
    inflight = new Map();
    inflightByCache.set(cache, inflight);
  }
  const pending = inflight;

  const settingsOf = (conn: ResolvedConnection) => {
    const tokenUrl = options.tokenUrl ?? field(conn, 'tokenUrl', { secret: false });
    const clientId = field(conn, 'clientId', { secret: false });
    const clientSecret = field(conn, 'clientSecret', { secret: true });
    const scope = options.scope ?? optionalConfig(conn, 'scope');
    const audience = optionalConfig(conn, 'audience');
    // The key changes when any credential changes, so a rotated secret never reuses an old token.
    const fingerprint = toBase64(sha256(JSON.stringify([tokenUrl, clientId, clientSecret, scope ?? '', audience ?? ''])), { url: true });
    return { tokenUrl, clientId, clientSecret, scope, audience, key: `${conn.id}:${fingerprint}` };
  };

  const fetchToken = async (s: ReturnType<typeof settingsOf>, ctx: RequestAuthContext): Promise<CachedToken> => {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (s.scope) form.set('scope', s.scope);
    if (s.audience) form.set('audience', s.audience);
    const headers = new Headers({ 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' });
    if ((options.clientAuth ?? 'body') === 'basic') {
      headers.set('Authorization', `Basic ${toBase64(utf8(`${encodeURIComponent(s.clientId)}:${encodeURIComponent(s.clientSecret)}`))}`);
    } else {
      form.set('client_id', s.clientId);
      form.set('client_secret', s.clientSecret);
    }
    const started = ctx.services.now();
    // No caller signal: the request is shared by every step waiting for this token, so one step's
    // cancellation must not fail the others; the timeout still bounds it.
    // Not followed: a 307/308 would post the client secret again to wherever the Location says.
    const res = await send({ fetch: ctx.services.fetch, url: s.tokenUrl, method: 'POST', headers, body: form, timeoutMs: ctx.timeoutMs, redirect: 'manual' });
    if (res.status >= 300 && res.status <= 399) {
      throw new ConnectorError('CONFIG_INVALID', `the token endpoint ${describeUrl(s.tokenUrl)} answered with a redirect (HTTP ${res.status}); set the token URL to the address that issues tokens`, {
        status: res.status,
        details: { status: res.status, tokenUrl: describeUrl(s.tokenUrl) },
      });
    }
    if (res.status === 400 || res.status === 401) {
      // invalid_client / unauthorized_client: the stored credentials are wrong, not the request.
      const vendor = vendorErrorText(res.body);
      throw new ConnectorError('AUTH_INVALID', `the token endpoint refused the client credentials (HTTP ${res.status})${vendor ? `: ${vendor}` : ''}`, {
        status: res.status,
        details: { status: res.status, ...(vendor ? { vendorMessage: vendor } : {}) },
      });
    }
    if (res.status < 200 || res.status > 299) {
      throw errorFromResponse({ status: res.status, headers: res.headers, body: res.body, method: 'POST', url: s.tokenUrl, nowMs: ctx.services.now() });
    }
    const parsed = tokenResponseSchema.safeParse(res.body);
    if (!parsed.success) throw new ConnectorError('UPSTREAM_ERROR', 'the token endpoint answered without an access_token', { kind: 'internal', retryable: false });
    const { access_token, token_type, expires_in } = parsed.data;
    return { accessToken: access_token, tokenType: token_type ?? 'Bearer', expiresAt: expires_in === undefined ? null : started + expires_in * 1000 };
  };

  const token = async (ctx: RequestAuthContext): Promise<CachedToken> => {
    const s = settingsOf(requireConnection(ctx));
    const cached = cache.get(s.key);
    if (cached && (cached.expiresAt === null || ctx.services.now() < cached.expiresAt - skewMs)) return cached;
    let p = pending.get(s.key);
    if (!p) {
      p = fetchToken(s, ctx).then(
        (t) => {
          cache.set(s.key, t);
          pending.delete(s.key);
          return t;
        },
        (err: unknown) => {
          pending.delete(s.key);
          throw err;
        },
      );
      pending.set(s.key, p);
    }
    return p;
  };

  return {
    async apply(headers, ctx) {
      const t = await token(ctx);
      // Some servers answer "bearer"; the scheme name is case-insensitive but some APIs are not.
      headers.set('Authorization', `${t.tokenType.toLowerCase() === 'bearer' ? 'Bearer' : t.tokenType} ${t.accessToken}`);
    },
    invalidate(ctx) {
      if (ctx.connection === null) return false;
      cache.delete(settingsOf(ctx.connection).key);
      return true;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Auth specs: what a connector declares (JSON the designer renders as the connection form).

const apiTokenSettings = z.object({ header: z.string().min(1), prefix: z.string(), secret: z.string().min(1) });
const basicSettings = z.object({ username: z.string().min(1), password: z.string().min(1) });
const oauthSettings = z.object({ tokenUrl: z.url().optional(), scope: z.string().optional(), clientAuth: z.enum(['body', 'basic']) });

interface SpecOptions {
  /** Non-secret connection fields besides the auth's own (shop domain, API version…). */
  props?: PropDefs;
  rateLimit?: RateLimit;
}

function spec(kind: AuthSpec['kind'], props: PropDefs, secrets: PropDefs, settings: AuthSpec['settings'], o: SpecOptions): AuthSpec {
  return { kind, props: { ...props, ...(o.props ?? {}) }, secrets, ...(settings ? { settings } : {}), ...(o.rateLimit ? { rateLimit: o.rateLimit } : {}) };
}

/**
 * Auth specs for `defineConnector({ auth })`. Each pairs the connection form (props, secrets) with the
 * settings `requestAuthFor` uses to sign requests.
 * @example
 * defineConnector({ id: 'erp', auth: auth.oauth2ClientCredentials({ tokenUrl: 'https://erp.example.com/oauth/token', rateLimit: { perSecond: 10 } }), … })
 */
export const auth = {
  apiToken(o: ApiTokenOptions & SpecOptions & { tokenLabel?: string } = {}): AuthSpec {
    const settings = { header: o.header ?? 'Authorization', prefix: o.prefix ?? 'Bearer ', secret: o.secret ?? 'token' };
    return spec('apiToken', {}, { [settings.secret]: prop.string({ label: o.tokenLabel ?? 'API token', required: true }) }, settings, o);
  },
  basic(o: SpecOptions = {}): AuthSpec {
    return spec(
      'basic',
      { username: prop.string({ label: 'User name', required: true }) },
      { password: prop.string({ label: 'Password', required: true }) },
      { username: 'username', password: 'password' },
      o,
    );
  },
  oauth2ClientCredentials(o: Omit<OAuth2ClientCredentialsOptions, 'cache' | 'skewMs'> & SpecOptions = {}): AuthSpec {
    const props: PropDefs = {};
    if (o.tokenUrl === undefined) props['tokenUrl'] = prop.string({ label: 'Token URL', required: true, placeholder: 'https://login.example.com/oauth2/token' });
    if (o.scope === undefined) props['scope'] = prop.string({ label: 'Scope', description: 'Space-separated scopes, if the API needs them' });
    return spec(
      'oauth2ClientCredentials',
      props,
      { clientId: prop.string({ label: 'Client id', required: true }), clientSecret: prop.string({ label: 'Client secret', required: true }) },
      { clientAuth: o.clientAuth ?? 'body', ...(o.tokenUrl !== undefined ? { tokenUrl: o.tokenUrl } : {}), ...(o.scope !== undefined ? { scope: o.scope } : {}) },
      o,
    );
  },
  /** A shared secret for inbound webhook signatures (no outgoing request auth). */
  hmacWebhook(o: SpecOptions = {}): AuthSpec {
    return spec('hmacWebhook', {}, { webhookSecret: prop.string({ label: 'Webhook signing secret', required: true }) }, undefined, o);
  },
};

/**
 * Turns a connector's declared auth into request signing; null for none and for inbound-only kinds.
 * @example createHttpClient({ baseUrl, auth: requestAuthFor(connector.auth), connection: ctx.connection, services: ctx })
 */
export function requestAuthFor(spec: AuthSpec | null, options: { cache?: TokenCache } = {}): RequestAuth | null {
  if (spec === null) return null;
  const bad = (issue: string): never => {
    throw new ConnectorError('INTERNAL', `auth spec of kind ${spec.kind} has invalid settings: ${issue}`);
  };
  switch (spec.kind) {
    case 'none':
    case 'hmacWebhook':
      return null;
    case 'apiToken': {
      const s = apiTokenSettings.safeParse(spec.settings ?? { header: 'Authorization', prefix: 'Bearer ', secret: 'token' });
      return s.success ? apiTokenAuth(s.data) : bad(s.error.message);
    }
    case 'basic': {
      const s = basicSettings.safeParse(spec.settings ?? { username: 'username', password: 'password' });
      return s.success ? basicAuth(s.data) : bad(s.error.message);
    }
    case 'oauth2ClientCredentials': {
      const s = oauthSettings.safeParse(spec.settings ?? { clientAuth: 'body' });
      if (!s.success) return bad(s.error.message);
      return oauth2ClientCredentialsAuth({
        clientAuth: s.data.clientAuth,
        ...(s.data.tokenUrl !== undefined ? { tokenUrl: s.data.tokenUrl } : {}),
        ...(s.data.scope !== undefined ? { scope: s.data.scope } : {}),
        ...(options.cache ? { cache: options.cache } : {}),
      });
    }
  }
}
