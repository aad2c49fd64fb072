import { signHmacSha256, verifyTriggerRequest, type ResolvedConnection, type WebhookRequest } from '@tributary/connector-sdk';
import { parseProps } from '@tributary/connector-sdk';
import { describe, expect, it } from 'vitest';
import { webhookTrigger } from './webhook.ts';

const BODY = '{"id":1001,"event":"order.created"}';

function request(headers: Record<string, string>): WebhookRequest {
  return { headers, rawBody: new TextEncoder().encode(BODY), body: JSON.parse(BODY) as WebhookRequest['body'] };
}

function props(raw: Record<string, unknown>) {
  const r = parseProps(webhookTrigger.props, raw);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

const secretConnection: ResolvedConnection = { id: 'whk', name: 'Webhook secret', connector: 'core', config: {}, secrets: { webhookSecret: 'from-connection' } };

describe('core.webhook verify', () => {
  it.each([
    ['no check configured', { signature: 'none' }, {}, null, { ok: true }],
    ['hex HMAC with the inline secret', { signature: 'hmac-sha256', secret: 's1' }, { 'X-Signature-Sha256': signHmacSha256(BODY, 's1', { encoding: 'hex' }) }, null, { ok: true }],
    ['GitHub-style sha256= prefix', { signature: 'hmac-sha256', secret: 's1', signatureHeader: 'x-hub-signature-256' }, { 'x-hub-signature-256': signHmacSha256(BODY, 's1', { encoding: 'hex', prefix: 'sha256=' }) }, null, { ok: true }],
    ['base64 HMAC when configured', { signature: 'hmac-sha256', secret: 's1', signatureEncoding: 'base64' }, { 'x-signature-sha256': signHmacSha256(BODY, 's1', { encoding: 'base64' }) }, null, { ok: true }],
    ['Shopify HMAC with the connection secret', { signature: 'shopify-hmac' }, { 'X-Shopify-Hmac-Sha256': signHmacSha256(BODY, 'from-connection', { encoding: 'base64' }) }, secretConnection, { ok: true }],
    ['the connection secret wins over the inline one', { signature: 'shopify-hmac', secret: 'inline' }, { 'x-shopify-hmac-sha256': signHmacSha256(BODY, 'inline', { encoding: 'base64' }) }, secretConnection, { ok: false, reason: 'SIGNATURE_INVALID' }],
    ['a signature made with another secret', { signature: 'hmac-sha256', secret: 's1' }, { 'x-signature-sha256': signHmacSha256(BODY, 's2', { encoding: 'hex' }) }, null, { ok: false, reason: 'SIGNATURE_INVALID' }],
    ['a missing signature header', { signature: 'hmac-sha256', secret: 's1' }, {}, null, { ok: false, reason: 'SIGNATURE_MISSING' }],
    ['a check without any secret', { signature: 'shopify-hmac' }, { 'x-shopify-hmac-sha256': 'abc=' }, null, { ok: false, reason: 'SECRET_MISSING' }],
  ] as const)('%s', (_what, raw, headers, connection, expected) => {
    const v = verifyTriggerRequest(webhookTrigger, request(headers), { props: props(raw), connection });
    expect(v).toMatchObject(expected);
  });
});

describe('core.webhook parse', () => {
  it('takes the delivery id from the configured header, whatever its case', () => {
    const e = webhookTrigger.parse?.(request({ 'X-Delivery-Id': 'd-42' }), props({ dedupeHeader: 'x-delivery-id' }));
    expect(e).toEqual({ payload: { id: 1001, event: 'order.created' }, deliveryId: 'd-42' });
  });
  it('defaults to Shopify’s webhook id header', () => {
    expect(webhookTrigger.parse?.(request({ 'X-Shopify-Webhook-Id': 'b54557e4' }), props({}))?.deliveryId).toBe('b54557e4');
  });
  it('has no delivery id when the header is absent (no deduplication)', () => {
    expect(webhookTrigger.parse?.(request({}), props({}))).toEqual({ payload: { id: 1001, event: 'order.created' } });
  });
  it('can include the headers in the event', () => {
    const e = webhookTrigger.parse?.(request({ 'X-Topic': 'orders/create' }), props({ includeHeaders: true }));
    expect(e?.payload).toEqual({ headers: { 'x-topic': 'orders/create' }, body: { id: 1001, event: 'order.created' } });
  });
  it('defaults to asynchronous responses', () => {
    expect(props({}).responseMode).toBe('async');
  });
});
