import { describe, expect, it } from 'vitest';
import type { ResolvedConnection } from './context.ts';
import { defineTrigger } from './define.ts';
import { headerValue, signHmacSha256, verifyHmacSha256, verifyShopifyHmac, verifySignature, verifyTriggerRequest } from './webhook.ts';

// Vectors computed independently with `openssl dgst -sha256 -hmac hush`.
const BODY = '{"id":820982911946154508,"email":"jon@example.com"}';
const B64 = 'D0UMXmhjwBRi4y66TmhJrDlhQABD7zI2fm3p6/QLMo8=';
const HEX = '0f450c5e6863c01462e32eba4e6849ac3961400043ef32367e6de9ebf40b328f';

describe('verifyShopifyHmac', () => {
  it.each([
    ['the signature Shopify sends', BODY, B64, 'hush', true],
    ['raw bytes instead of a string', new TextEncoder().encode(BODY), B64, 'hush', true],
    ['a body changed by one character', BODY.replace('jon', 'jim'), B64, 'hush', false],
    ['the wrong secret', BODY, B64, 'hush2', false],
    ['a hex digest where base64 is expected', BODY, HEX, 'hush', false],
    ['a missing header', BODY, undefined, 'hush', false],
    ['an empty header', BODY, '', 'hush', false],
    ['a truncated signature', BODY, B64.slice(0, 20), 'hush', false],
    ['an empty secret', BODY, B64, '', false],
  ] as const)('%s', (_what, body, header, secret, expected) => {
    expect(verifyShopifyHmac(body, header, secret)).toBe(expected);
  });

  it('does not accept re-serialised JSON (verification is over the bytes received)', () => {
    const reserialised = JSON.stringify(JSON.parse(BODY.replace('{"id"', '{ "id"')) as unknown);
    expect(verifyShopifyHmac(BODY.replace('{"id"', '{ "id"'), B64, 'hush')).toBe(false);
    expect(verifyShopifyHmac(reserialised, B64, 'hush')).toBe(false); // precision of the big id is lost
  });
});

describe('verifyHmacSha256', () => {
  it.each([
    ['hex', HEX, { encoding: 'hex' }, true],
    ['hex, upper case', HEX.toUpperCase(), { encoding: 'hex' }, true],
    ['hex with the expected sha256= prefix', `sha256=${HEX}`, { encoding: 'hex', prefix: 'sha256=' }, true],
    ['hex without the prefix the scheme requires', HEX, { encoding: 'hex', prefix: 'sha256=' }, false],
    ['base64', B64, { encoding: 'base64' }, true],
    ['a hex digest of another body', HEX.replace('0f', '1f'), { encoding: 'hex' }, false],
    ['not hex at all', 'zz', { encoding: 'hex' }, false],
  ] as const)('%s', (_what, header, opts, expected) => {
    expect(verifyHmacSha256(BODY, header, 'hush', opts)).toBe(expected);
  });

  it('signHmacSha256 produces what verify accepts', () => {
    expect(signHmacSha256(BODY, 'hush', { encoding: 'hex', prefix: 'sha256=' })).toBe(`sha256=${HEX}`);
    expect(signHmacSha256(BODY, 'hush', { encoding: 'base64' })).toBe(B64);
  });
});

describe('headerValue', () => {
  const headers = { 'X-Shopify-Hmac-Sha256': 'abc', 'x-multi': ['first', 'second'], 'x-missing': undefined };
  it.each([
    ['x-shopify-hmac-sha256', 'abc'],
    ['X-SHOPIFY-HMAC-SHA256', 'abc'],
    ['x-multi', 'first'],
    ['x-missing', undefined],
    ['x-absent', undefined],
  ])('%s → %s', (name, expected) => {
    expect(headerValue(headers, name)).toBe(expected);
  });
  it('reads a Headers object', () => {
    expect(headerValue(new Headers({ 'X-Id': '7' }), 'x-id')).toBe('7');
  });
});

describe('verifySignature / verifyTriggerRequest', () => {
  const request = { headers: { 'x-shopify-hmac-sha256': B64 }, rawBody: new TextEncoder().encode(BODY), body: JSON.parse(BODY) as never };
  const conn = (secrets: Record<string, string>): ResolvedConnection => ({ id: 'c1', name: 'shop', connector: 'shopify', config: {}, secrets });
  const shopifyTrigger = defineTrigger({ name: 'orderCreated', label: 'Order created', description: 'x', source: 'webhook', signature: 'shopify-hmac', props: {} });

  it('accepts a request signed with the connection webhook secret', () => {
    expect(verifyTriggerRequest(shopifyTrigger, request, { props: {}, connection: conn({ webhookSecret: 'hush' }) })).toEqual({ ok: true });
  });
  it.each([
    ['no secret configured', null, 'SECRET_MISSING'],
    ['the wrong secret', conn({ webhookSecret: 'nope' }), 'SIGNATURE_INVALID'],
  ] as const)('rejects with %s', (_what, connection, reason) => {
    const v = verifyTriggerRequest(shopifyTrigger, request, { props: {}, connection });
    expect(v.ok ? 'ok' : v.reason).toBe(reason);
  });
  it('reports a missing signature header', () => {
    const v = verifySignature({ scheme: 'hmac-sha256', request: { headers: {}, rawBody: request.rawBody }, secret: 'hush' });
    expect(v).toMatchObject({ ok: false, reason: 'SIGNATURE_MISSING' });
  });
  it('accepts generic hmac-sha256 with or without the sha256= prefix', () => {
    for (const h of [HEX, `sha256=${HEX}`]) {
      expect(verifySignature({ scheme: 'hmac-sha256', request: { headers: { 'X-Signature-Sha256': h }, rawBody: request.rawBody }, secret: 'hush' })).toEqual({ ok: true });
    }
  });
  it('uses the trigger’s own verify when it has one', () => {
    const t = defineTrigger({ name: 'x', label: 'x', description: 'x', source: 'webhook', props: {}, verify: () => ({ ok: false, reason: 'SIGNATURE_INVALID', message: 'custom' }) });
    expect(verifyTriggerRequest(t, request, { props: {}, connection: null })).toMatchObject({ ok: false, message: 'custom' });
  });
});
