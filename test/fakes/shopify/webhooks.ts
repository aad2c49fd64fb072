import { createHmac, randomUUID } from 'node:crypto';

/** One webhook POST as sent, with the receiver's answer; pass it to `redeliver` to simulate Shopify's retry. */
export interface WebhookDelivery {
  url: string;
  topic: string;
  headers: Record<string, string>;
  body: string;
  status: number;
  responseBody: string;
}

export interface SendWebhookOptions {
  url: string;
  topic: string;
  payload: unknown;
  /** The app's client secret: the HMAC key. */
  secret: string;
  shopDomain: string;
  apiVersion: string;
  webhookId?: string;
  eventId?: string;
  /** ISO time the event fired; a retry keeps the original value. */
  triggeredAt?: string;
}

/** base64(HMAC-SHA256(secret, raw body bytes)), the value of X-Shopify-Hmac-Sha256. */
export function shopifyHmac(secret: string, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

async function post(url: string, topic: string, headers: Record<string, string>, body: string): Promise<WebhookDelivery> {
  const res = await fetch(url, { method: 'POST', headers, body });
  return { url, topic, headers, body, status: res.status, responseBody: await res.text() };
}

/**
 * Sends a webhook the way Shopify does (https://shopify.dev/docs/apps/build/webhooks/subscribe/https):
 * JSON body, HMAC over the raw bytes, and the documented X-Shopify-* header set.
 */
export function sendShopifyWebhook(o: SendWebhookOptions): Promise<WebhookDelivery> {
  const body = JSON.stringify(o.payload);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'X-Shopify-Topic': o.topic,
    'X-Shopify-Hmac-Sha256': shopifyHmac(o.secret, body),
    'X-Shopify-Shop-Domain': o.shopDomain,
    'X-Shopify-API-Version': o.apiVersion,
    'X-Shopify-Webhook-Id': o.webhookId ?? randomUUID(),
    'X-Shopify-Event-Id': o.eventId ?? randomUUID(),
    'X-Shopify-Triggered-At': o.triggeredAt ?? new Date().toISOString(),
  };
  return post(o.url, o.topic, headers, body);
}

/** Shopify's retry of a failed delivery: the same bytes and headers (same webhook id, same triggered-at). */
export function redeliverShopifyWebhook(d: WebhookDelivery, url: string = d.url): Promise<WebhookDelivery> {
  return post(url, d.topic, d.headers, d.body);
}
