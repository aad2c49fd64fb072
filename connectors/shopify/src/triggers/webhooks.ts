import { ConnectorError, defineTrigger, headerValue, prop, type JsonObject, type TriggerEvent, type WebhookRequest } from '@tributary/connector-sdk';
import { SAMPLE_COMPANY_WEBHOOK, SAMPLE_CUSTOMER_WEBHOOK, SAMPLE_INVENTORY_LEVEL_WEBHOOK, SAMPLE_ORDER_WEBHOOK, SAMPLE_PRODUCT_WEBHOOK } from '../samples.ts';

/** Shopify retries a failed delivery up to 8 times over 4 hours; older retries are refused by default after a day. */
export const DEFAULT_MAX_AGE_MINUTES = 1440;

/**
 * Turns a verified Shopify webhook into a trigger event. The runtime checks X-Shopify-Hmac-Sha256 first
 * (`signature: 'shopify-hmac'` with the connection's webhookSecret); this reads the rest of Shopify's headers,
 * whatever their case: X-Shopify-Webhook-Id is the dedupe key, X-Shopify-Triggered-At dates the event, and a
 * retry older than `maxAgeMinutes` is refused as STALE_EVENT so an old state never overwrites a newer one.
 */
export function parseShopifyWebhook(req: WebhookRequest, opts: { topic: string; maxAgeMinutes: number; now: number }): TriggerEvent {
  const topic = headerValue(req.headers, 'x-shopify-topic');
  if (topic !== undefined && topic !== opts.topic) {
    throw new ConnectorError('VALIDATION', `this trigger takes ${opts.topic} webhooks, but Shopify sent ${topic}`, { details: { expected: opts.topic, received: topic } });
  }
  const deliveryId = headerValue(req.headers, 'x-shopify-webhook-id');
  const triggeredAt = headerValue(req.headers, 'x-shopify-triggered-at');
  const event: TriggerEvent = { payload: req.body, topic: opts.topic };
  if (deliveryId) event.deliveryId = deliveryId;
  if (triggeredAt) {
    const at = Date.parse(triggeredAt);
    if (Number.isNaN(at)) throw new ConnectorError('VALIDATION', `X-Shopify-Triggered-At is not a time: ${triggeredAt}`, { details: { triggeredAt } });
    event.occurredAt = new Date(at).toISOString();
    const ageMinutes = (opts.now - at) / 60_000;
    if (ageMinutes > opts.maxAgeMinutes) {
      throw new ConnectorError('STALE_EVENT', `Shopify delivered a ${opts.topic} webhook from ${event.occurredAt}, ${Math.floor(ageMinutes)} minutes ago (the limit is ${opts.maxAgeMinutes})`, {
        details: { topic: opts.topic, deliveryId: deliveryId ?? null, triggeredAt: event.occurredAt, ageMinutes: Math.floor(ageMinutes), maxAgeMinutes: opts.maxAgeMinutes },
      });
    }
  }
  return event;
}

function webhookTrigger(o: { name: string; topic: string; label: string; description: string; sampleOutput: JsonObject }) {
  return defineTrigger({
    name: o.name,
    label: o.label,
    description: `${o.description} (webhook topic ${o.topic}, HMAC-verified, deduplicated by X-Shopify-Webhook-Id).`,
    source: 'webhook',
    signature: 'shopify-hmac',
    props: {
      maxAgeMinutes: prop.integer({ label: 'Refuse deliveries older than (minutes)', default: DEFAULT_MAX_AGE_MINUTES, min: 1, max: 10_080, advanced: true }),
    },
    exampleProps: {},
    sampleOutput: o.sampleOutput,
    parse: (req, props) => parseShopifyWebhook(req, { topic: o.topic, maxAgeMinutes: props.maxAgeMinutes, now: Date.now() }),
  });
}

/** Subscribe each to its topic with the delivery URL the server shows for the trigger. */
export const WEBHOOK_TOPICS = {
  orderCreated: 'orders/create',
  orderUpdated: 'orders/updated',
  customerCreated: 'customers/create',
  customerUpdated: 'customers/update',
  productUpdated: 'products/update',
  inventoryLevelUpdated: 'inventory_levels/update',
  companyCreated: 'companies/create',
  companyUpdated: 'companies/update',
} as const;

export const orderCreated = webhookTrigger({ name: 'orderCreated', topic: WEBHOOK_TOPICS.orderCreated, label: 'Order created', description: 'A new order, B2B or retail', sampleOutput: SAMPLE_ORDER_WEBHOOK });
export const orderUpdated = webhookTrigger({ name: 'orderUpdated', topic: WEBHOOK_TOPICS.orderUpdated, label: 'Order updated', description: 'Any change to an order (payment, fulfillment, edits)', sampleOutput: SAMPLE_ORDER_WEBHOOK });
export const customerCreated = webhookTrigger({ name: 'customerCreated', topic: WEBHOOK_TOPICS.customerCreated, label: 'Customer created', description: 'A new customer', sampleOutput: SAMPLE_CUSTOMER_WEBHOOK });
export const customerUpdated = webhookTrigger({ name: 'customerUpdated', topic: WEBHOOK_TOPICS.customerUpdated, label: 'Customer updated', description: 'A customer changed', sampleOutput: SAMPLE_CUSTOMER_WEBHOOK });
export const productUpdated = webhookTrigger({ name: 'productUpdated', topic: WEBHOOK_TOPICS.productUpdated, label: 'Product updated', description: 'A product or its variants changed', sampleOutput: SAMPLE_PRODUCT_WEBHOOK });
export const inventoryLevelUpdated = webhookTrigger({ name: 'inventoryLevelUpdated', topic: WEBHOOK_TOPICS.inventoryLevelUpdated, label: 'Inventory level updated', description: 'Available stock of an item at a location changed', sampleOutput: SAMPLE_INVENTORY_LEVEL_WEBHOOK });
export const companyCreated = webhookTrigger({ name: 'companyCreated', topic: WEBHOOK_TOPICS.companyCreated, label: 'B2B company created', description: 'A new B2B company', sampleOutput: SAMPLE_COMPANY_WEBHOOK });
export const companyUpdated = webhookTrigger({ name: 'companyUpdated', topic: WEBHOOK_TOPICS.companyUpdated, label: 'B2B company updated', description: 'A B2B company changed', sampleOutput: SAMPLE_COMPANY_WEBHOOK });

export const webhookTriggers = [orderCreated, orderUpdated, customerCreated, customerUpdated, productUpdated, inventoryLevelUpdated, companyCreated, companyUpdated];
