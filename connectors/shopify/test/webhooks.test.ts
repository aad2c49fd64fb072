import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyTriggerRequest, type JsonValue, type TriggerDefinition, type TriggerEvent, type WebhookRequest, type WebhookVerification, type PropDefs } from '@tributary/connector-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeShopify, type FakeShopify } from '../../../test/fakes/shopify/index.ts';
import { orderCreated, parseShopifyWebhook, sampleConnectionConfig, shopify, WEBHOOK_TOPICS } from '../src/index.ts';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/orders-create.json', import.meta.url), 'utf8')) as JsonValue;
const SECRET = 'shpss_app_client_secret';
const connection = sampleConnectionConfig('http://127.0.0.1:1', { webhookSecret: SECRET });

type Outcome = { verification: WebhookVerification; event?: TriggerEvent; error?: { code: string; details: unknown } };

/** What the server does with a webhook: verify the signature over the raw bytes, then let the trigger parse it. */
function receive(trigger: TriggerDefinition<PropDefs>, req: WebhookRequest, props: Record<string, unknown> = { maxAgeMinutes: 1440 }): Outcome {
  const verification = verifyTriggerRequest(trigger, req, { props: props as never, connection });
  if (!verification.ok) return { verification };
  try {
    return { verification, event: trigger.parse!(req, props as never) };
  } catch (err) {
    return { verification, error: err as { code: string; details: unknown } };
  }
}

let fake: FakeShopify;
let server: http.Server;
let url = '';
const received: WebhookRequest[] = [];

beforeAll(async () => {
  fake = await startFakeShopify({ seed: 'empty' });
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v[0] : v;
      received.push({ headers, rawBody: new Uint8Array(raw), body: JSON.parse(raw.toString('utf8')) as JsonValue });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/shopify/orders`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await fake.close();
});

async function deliver(topic: string, payload: unknown, o: { secret?: string; triggeredAt?: string } = {}): Promise<WebhookRequest> {
  await fake.sendWebhook(url, topic, payload, o.secret ?? SECRET, o.triggeredAt ? { triggeredAt: o.triggeredAt } : {});
  return received[received.length - 1]!;
}

describe('Shopify webhook triggers', () => {
  it('accepts a signed orders/create delivery of the B2B fixture: payload as sent, delivery id and time from the headers', async () => {
    const req = await deliver('orders/create', fixture);
    const out = receive(orderCreated, req);
    expect(out.verification).toEqual({ ok: true });
    expect(out.event).toEqual({ payload: fixture, topic: 'orders/create', deliveryId: req.headers['x-shopify-webhook-id'], occurredAt: new Date(req.headers['x-shopify-triggered-at']!).toISOString() });
  });

  it('refuses a body changed after signing, and a delivery signed with another secret', async () => {
    const req = await deliver('orders/create', fixture);
    const tampered = { ...req, rawBody: new TextEncoder().encode(new TextDecoder().decode(req.rawBody).replace('1932.53', '0.01')) };
    expect(receive(orderCreated, tampered).verification).toMatchObject({ ok: false, reason: 'SIGNATURE_INVALID' });
    const other = await deliver('orders/create', fixture, { secret: 'someone-elses-secret' });
    expect(receive(orderCreated, other).verification).toMatchObject({ ok: false, reason: 'SIGNATURE_INVALID' });
  });

  it('reads headers whatever their case (and Shopify’s nanosecond timestamps)', () => {
    const body = { id: 1 };
    const event = parseShopifyWebhook(
      { headers: { 'X-SHOPIFY-TOPIC': 'orders/create', 'X-Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', 'x-shopify-triggered-at': '2025-01-15T10:00:00.123456789Z' }, rawBody: new Uint8Array(), body },
      { topic: 'orders/create', maxAgeMinutes: 60, now: Date.parse('2025-01-15T10:05:00Z') },
    );
    expect(event).toEqual({ payload: body, topic: 'orders/create', deliveryId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', occurredAt: '2025-01-15T10:00:00.123Z' });
  });

  it('gives a redelivery the same delivery id, so the runtime drops it as a duplicate', async () => {
    const first = await deliver('orders/create', fixture);
    const d = await fake.sendWebhook(url, 'orders/create', fixture, SECRET, { webhookId: first.headers['x-shopify-webhook-id'] });
    await fake.redeliver(d);
    const ids = received.slice(-2).map((r) => receive(orderCreated, r).event?.deliveryId);
    expect(ids).toEqual([first.headers['x-shopify-webhook-id'], first.headers['x-shopify-webhook-id']]);
  });

  it.each([
    ['a retry from two days ago is refused as STALE_EVENT', 2 * 24 * 60, 1440, 'STALE_EVENT'],
    ['a retry from three hours ago passes', 180, 1440, null],
    ['an old retry passes when the limit is raised', 2 * 24 * 60, 4000, null],
  ])('%s', async (_what, minutesAgo, maxAgeMinutes, code) => {
    const req = await deliver('orders/create', fixture, { triggeredAt: new Date(Date.now() - minutesAgo * 60_000).toISOString() });
    const out = receive(orderCreated, req, { maxAgeMinutes });
    expect(out.verification.ok).toBe(true);
    expect(out.error?.code ?? null).toBe(code);
  });

  it('refuses a delivery for another topic (a subscription pointed at the wrong trigger)', async () => {
    const req = await deliver('orders/updated', fixture);
    expect(receive(orderCreated, req).error?.code).toBe('VALIDATION');
  });

  it.each(Object.entries(WEBHOOK_TOPICS))('shopify.%s takes %s deliveries, HMAC-verified', async (name, topic) => {
    const trigger = shopify.triggers.find((t) => t.name === name)!;
    expect([trigger.source, trigger.signature]).toEqual(['webhook', 'shopify-hmac']);
    const req = await deliver(topic, { admin_graphql_api_id: 'gid://shopify/Thing/1' });
    expect(receive(trigger, req).event?.topic).toBe(topic);
  });
});
