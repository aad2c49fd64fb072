import { createHmac, randomUUID } from 'node:crypto';

/** Sends a Shopify-style webhook (base64 HMAC-SHA256 of the raw body) and returns status and JSON body. */
export async function sendShopifyWebhook(url: string, payload: unknown, opts: { secret: string; webhookId?: string; topic?: string; badSignature?: boolean }): Promise<{ status: number; body: Record<string, unknown> }> {
  const raw = Buffer.from(JSON.stringify(payload));
  const hmac = createHmac('sha256', opts.badSignature ? `${opts.secret}x` : opts.secret).update(raw).digest('base64');
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'X-Shopify-Topic': opts.topic ?? 'orders/create',
      'X-Shopify-Hmac-Sha256': hmac,
      'X-Shopify-Shop-Domain': 'northwind-wholesale.myshopify.com',
      'X-Shopify-API-Version': '2025-01',
      'X-Shopify-Webhook-Id': opts.webhookId ?? randomUUID(),
      'X-Shopify-Event-Id': randomUUID(),
      'X-Shopify-Triggered-At': new Date().toISOString(),
    },
    body: raw,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
