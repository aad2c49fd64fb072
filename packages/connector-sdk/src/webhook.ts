import type { ResolvedConnection } from './context.ts';
import { constantTimeEqual, fromBase64, fromHex, hmacSha256, toBase64, toHex, utf8 } from './digest.ts';
import type { TriggerDefinition, WebhookRequest, WebhookVerification } from './define.ts';
import type { PropDefs, PropValues } from './props.ts';

/** Raw request bytes as the server received them; a string is taken as UTF-8. */
export type RawBody = Uint8Array | string;

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

/**
 * A header's value, whatever the case of its name (HTTP header names are case-insensitive).
 * Repeated headers given as arrays yield their first value.
 * @example headerValue(req.headers, 'X-Shopify-Hmac-Sha256')
 */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== wanted || v === undefined) continue;
    return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

function bytes(raw: RawBody): Uint8Array {
  return typeof raw === 'string' ? utf8(raw) : raw;
}

function decode(text: string, encoding: 'hex' | 'base64'): Uint8Array | null {
  const t = text.trim();
  return encoding === 'hex' ? fromHex(t) : fromBase64(t);
}

/**
 * Shopify webhooks: base64 HMAC-SHA256 of the raw body with the app's secret, in `X-Shopify-Hmac-Sha256`.
 * Verify over the bytes as received: re-serialised JSON does not match.
 * @example verifyShopifyHmac(rawBody, headerValue(headers, 'x-shopify-hmac-sha256'), secret)
 */
export function verifyShopifyHmac(rawBody: RawBody, header: string | undefined, secret: string): boolean {
  return verifyHmacSha256(rawBody, header, secret, { encoding: 'base64' });
}

export interface HmacOptions {
  encoding: 'hex' | 'base64';
  /** A scheme prefix the header carries before the digest, e.g. `sha256=` (GitHub style). */
  prefix?: string;
}

/**
 * Generic HMAC-SHA256 over the raw body, compared in constant time.
 * @example verifyHmacSha256(rawBody, headerValue(headers, 'x-hub-signature-256'), secret, { encoding: 'hex', prefix: 'sha256=' })
 */
export function verifyHmacSha256(rawBody: RawBody, header: string | undefined, secret: string, options: HmacOptions): boolean {
  if (header === undefined || secret === '') return false;
  let value = header.trim();
  if (options.prefix !== undefined && options.prefix !== '') {
    if (!value.toLowerCase().startsWith(options.prefix.toLowerCase())) return false;
    value = value.slice(options.prefix.length);
  }
  const given = decode(value, options.encoding);
  return given !== null && constantTimeEqual(given, hmacSha256(secret, bytes(rawBody)));
}

/**
 * The signature a sender would put in the header; for fake servers and tests.
 * @example signHmacSha256('{"id":1}', 'shh', { encoding: 'base64' })
 */
export function signHmacSha256(rawBody: RawBody, secret: string, options: HmacOptions): string {
  const mac = hmacSha256(secret, bytes(rawBody));
  return (options.prefix ?? '') + (options.encoding === 'hex' ? toHex(mac) : toBase64(mac));
}

/** Where each built-in scheme puts its signature by default. */
export const SIGNATURE_HEADERS = {
  'shopify-hmac': 'x-shopify-hmac-sha256',
  'hmac-sha256': 'x-signature-sha256',
} as const;

/**
 * Checks a request against a scheme. `hmac-sha256` accepts hex with an optional `sha256=` prefix
 * unless `encoding`/`prefix` say otherwise.
 */
export function verifySignature(opts: {
  scheme: 'none' | 'shopify-hmac' | 'hmac-sha256';
  request: Pick<WebhookRequest, 'headers' | 'rawBody'>;
  secret: string | undefined;
  header?: string;
  encoding?: 'hex' | 'base64';
  prefix?: string;
}): WebhookVerification {
  if (opts.scheme === 'none') return { ok: true };
  const name = opts.header ?? SIGNATURE_HEADERS[opts.scheme];
  if (opts.secret === undefined || opts.secret === '') return { ok: false, reason: 'SECRET_MISSING', message: 'no webhook secret is configured for this trigger' };
  const given = headerValue(opts.request.headers, name);
  if (given === undefined || given === '') return { ok: false, reason: 'SIGNATURE_MISSING', message: `the request has no ${name} header` };
  let ok: boolean;
  if (opts.scheme === 'shopify-hmac') ok = verifyShopifyHmac(opts.request.rawBody, given, opts.secret);
  else {
    const encoding = opts.encoding ?? 'hex';
    const prefix = opts.prefix ?? (given.toLowerCase().startsWith('sha256=') ? 'sha256=' : undefined);
    ok = verifyHmacSha256(opts.request.rawBody, given, opts.secret, prefix === undefined ? { encoding } : { encoding, prefix });
  }
  return ok ? { ok: true } : { ok: false, reason: 'SIGNATURE_INVALID', message: `the ${name} signature does not match the body` };
}

/** The connection secret webhook signatures are checked with: `webhookSecret`, else `secret`. */
export function webhookSecretOf(connection: ResolvedConnection | null): string | undefined {
  return connection?.secrets['webhookSecret'] ?? connection?.secrets['secret'];
}

/**
 * What the server calls before storing a webhook: the trigger's own `verify` if it has one, else its
 * static `signature` scheme with the connection's webhook secret.
 * @example
 * const v = verifyTriggerRequest(impl.trigger, request, { props, connection });
 * if (!v.ok) return res.status(401).json({ error: { code: v.reason, message: v.message } });
 */
export function verifyTriggerRequest<P extends PropDefs>(
  trigger: TriggerDefinition<P>,
  request: WebhookRequest,
  opts: { props: PropValues<P>; connection: ResolvedConnection | null },
): WebhookVerification {
  if (trigger.verify) return trigger.verify(request, opts);
  return verifySignature({ scheme: trigger.signature ?? 'none', request, secret: webhookSecretOf(opts.connection) });
}
