import { defineTrigger, headerValue, prop, verifySignature, webhookSecretOf, type JsonValue } from '@tributary/connector-sdk';

/**
 * `core.webhook`: any system that can POST JSON. The signature scheme is chosen per node
 * (none, generic HMAC-SHA256, Shopify HMAC); the secret comes from a `core` connection
 * (`webhookSecret`, preferred: encrypted at rest) or the inline `secret` prop. The server calls
 * `verify` over the raw body before storing anything, then `parse`.
 *
 * `responseMode`: `async` answers 202 as soon as the event is durable; `sync` waits for the run and
 * answers with the output of its `core.respond` step.
 */
export const webhookTrigger = defineTrigger({
  name: 'webhook',
  label: 'Webhook',
  description: 'Start the flow when a system POSTs to this flow’s webhook URL. Optionally verify an HMAC signature and drop duplicate deliveries.',
  group: 'Triggers',
  source: 'webhook',
  props: {
    signature: prop.select({
      label: 'Signature check',
      default: 'none',
      options: [
        { value: 'none', label: 'None' },
        { value: 'hmac-sha256', label: 'HMAC-SHA256 (hex or base64)' },
        { value: 'shopify-hmac', label: 'Shopify HMAC (X-Shopify-Hmac-Sha256)' },
      ],
    }),
    connection: prop.connection({ label: 'Signing secret', connector: 'core', description: 'A connection holding the webhook signing secret' }),
    secret: prop.string({ label: 'Signing secret (inline)', advanced: true, description: 'Prefer a connection: an inline secret is stored in the flow, not encrypted' }),
    signatureHeader: prop.string({ label: 'Signature header', advanced: true, description: 'Default: x-signature-sha256 (HMAC-SHA256) or x-shopify-hmac-sha256 (Shopify)' }),
    signatureEncoding: prop.select({ label: 'Signature encoding', default: 'hex', advanced: true, options: [{ value: 'hex', label: 'hex' }, { value: 'base64', label: 'base64' }] }),
    dedupeHeader: prop.string({ label: 'Delivery id header', default: 'x-shopify-webhook-id', description: 'Deliveries repeating an id already seen are dropped' }),
    responseMode: prop.select({
      label: 'Response',
      default: 'async',
      options: [
        { value: 'async', label: 'Answer 202 at once (run in the background)' },
        { value: 'sync', label: 'Wait for the run and answer with its Respond step' },
      ],
    }),
    includeHeaders: prop.boolean({ label: 'Include headers in the event', default: false, advanced: true }),
  },
  exampleProps: { signature: 'hmac-sha256', secret: 'whsec_test', dedupeHeader: 'x-delivery-id', responseMode: 'async' },
  sampleOutput: { id: 1001, event: 'order.created', total: '129.50' },
  verify(req, { props, connection }) {
    const secret = webhookSecretOf(connection) ?? props.secret;
    return verifySignature({
      scheme: props.signature,
      request: req,
      secret,
      ...(props.signatureHeader ? { header: props.signatureHeader } : {}),
      ...(props.signature === 'hmac-sha256' ? { encoding: props.signatureEncoding } : {}),
    });
  },
  parse(req, props) {
    const deliveryId = props.dedupeHeader ? headerValue(req.headers, props.dedupeHeader) : undefined;
    let payload: JsonValue = req.body;
    if (props.includeHeaders) {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = v;
      payload = { headers, body: req.body };
    }
    return { payload, ...(deliveryId ? { deliveryId } : {}) };
  },
});
