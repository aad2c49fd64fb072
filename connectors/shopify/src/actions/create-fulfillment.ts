import { collect, ConnectorError, defineAction, paginateCursor, prop, type JsonObject } from '@tributary/connector-sdk';
import { z } from 'zod';
import { shopifyClient } from '../client.ts';
import { FULFILLMENT_CREATE, FULFILLMENT_LINE_ITEMS_QUERY, FULFILLMENT_ORDER_LINES_QUERY, FULFILLMENT_ORDERS_QUERY } from '../graphql/fulfillments.ts';
import { ORDERS_BY_NAME_QUERY } from '../graphql/orders.ts';
import type { ShopifyClient } from '../client.ts';
import { searchValue } from '../variant-resolver.ts';
import { pageInfoSchema, toGid, userErrorSchema } from '../models.ts';

const lineSchema = z
  .object({
    sku: z.string().min(1).optional(),
    lineItemId: z.string().min(1).optional(),
    quantity: z.number().int().positive(),
  })
  .refine((l) => l.sku !== undefined || l.lineItemId !== undefined, { message: 'give sku or lineItemId' });

const trackingSchema = z.object({ number: z.string().nullable(), company: z.string().nullable(), url: z.string().nullable() });

const fulfillmentOrders = z.object({
  order: z
    .object({
      id: z.string(),
      name: z.string(),
      fulfillments: z.array(z.object({ id: z.string(), status: z.string(), location: z.object({ id: z.string() }).nullable(), trackingInfo: z.array(trackingSchema) })),
      fulfillmentOrders: z.object({
        nodes: z.array(
          z.object({
            id: z.string(),
            status: z.string(),
            assignedLocation: z.object({ location: z.object({ id: z.string() }).nullable() }),
          }),
        ),
      }),
    })
    .nullable(),
});

const foLine = z.object({ id: z.string(), remainingQuantity: z.number(), lineItem: z.object({ id: z.string(), sku: z.string().nullable() }) });
const foLines = z.object({ fulfillmentOrder: z.object({ lineItems: z.object({ nodes: z.array(foLine), pageInfo: pageInfoSchema }) }).nullable() });

const createPayload = z.object({
  fulfillment: z.object({ id: z.string(), name: z.string(), status: z.string(), createdAt: z.string(), trackingInfo: z.array(trackingSchema) }).nullable(),
  userErrors: z.array(userErrorSchema),
});

const shippedLine = z.object({ quantity: z.number(), lineItem: z.object({ id: z.string(), sku: z.string().nullable() }) });
const shippedPage = z.object({ node: z.object({ fulfillmentLineItems: z.object({ nodes: z.array(shippedLine), pageInfo: pageInfoSchema }).optional() }).nullable() });

/** What the fulfillments ship, line by line. */
async function shippedLines(client: ShopifyClient, fulfillmentIds: readonly string[]): Promise<Array<z.infer<typeof shippedLine>>> {
  const out: Array<z.infer<typeof shippedLine>> = [];
  for (const id of fulfillmentIds) {
    const lines = paginateCursor<z.infer<typeof shippedLine>>({
      fetchPage: async (after) => {
        const r = await client.query(FULFILLMENT_LINE_ITEMS_QUERY, { id, after }, shippedPage);
        const c = r.node?.fulfillmentLineItems;
        return c ? { items: c.nodes, pageInfo: c.pageInfo } : { items: [], pageInfo: { hasNextPage: false } };
      },
    });
    for await (const l of lines) out.push(l);
  }
  return out;
}

const byName = z.object({ orders: z.object({ nodes: z.array(z.object({ id: z.string(), name: z.string() })) }) });

/** The order's GID from its id, or else its name (`#W1042`, as an ERP keeps it in the external document number). */
async function resolveOrderId(client: ShopifyClient, id: string | undefined, name: string | undefined): Promise<string> {
  if (id) return toGid('Order', id);
  if (!name) throw new ConnectorError('VALIDATION', 'give the order id or the order name', { details: { fields: ['orderId', 'orderName'] } });
  const { orders } = await client.query(ORDERS_BY_NAME_QUERY, { query: `name:${searchValue(name)}` }, byName);
  const match = orders.nodes.filter((o) => o.name === name);
  if (match.length === 0) throw new ConnectorError('NOT_FOUND', `Shopify has no order named ${name}`, { details: { orderName: name } });
  if (match.length > 1) throw new ConnectorError('CONFLICT', `more than one Shopify order is named ${name}`, { details: { orderName: name, ids: match.map((o) => o.id) } });
  return match[0]!.id;
}

interface Pick {
  fulfillmentOrderId: string;
  locationId: string;
  lineId: string;
  quantity: number;
}

export const createFulfillment = defineAction({
  name: 'createFulfillment',
  label: 'Create fulfillment with tracking',
  description:
    'Marks an order’s items as shipped with a tracking number (fulfillmentCreate over the order’s open fulfillment orders). Without lines it fulfils everything still open. Repeating it with the same tracking number returns the existing fulfillments and creates only what an interrupted earlier run left out (a location not yet shipped, quantities not yet covered); without one, Shopify’s remaining quantities stop a repeat from shipping twice.',
  props: {
    orderId: prop.id({ label: 'Order id', description: 'gid://shopify/Order/… or numeric id' }),
    orderName: prop.string({ label: 'Or order name', placeholder: '#W1042', description: 'When only the name is known, e.g. from an ERP shipment’s external document number' }),
    trackingNumber: prop.string({ label: 'Tracking number' }),
    trackingCompany: prop.string({ label: 'Carrier', placeholder: 'UPS' }),
    trackingUrl: prop.string({ label: 'Tracking URL' }),
    notifyCustomer: prop.boolean({ label: 'Email the customer', default: false }),
    lines: prop.array({ label: 'Lines (default: everything open)', description: '[{ "sku": "TR2-SLT-10", "quantity": 24 }] or lineItemId instead of sku', schema: z.array(lineSchema) }),
  },
  write: true,
  idempotent: true,
  exampleProps: { orderId: 'gid://shopify/Order/5820458172476', trackingNumber: '1Z999AA10123456784', trackingCompany: 'UPS' },
  sampleOutput: { created: true, fulfillments: [{ id: 'gid://shopify/Fulfillment/4512', name: '#W1042.1', status: 'SUCCESS', createdAt: '2026-11-22T16:00:00Z', trackingInfo: [{ number: '1Z999AA10123456784', company: 'UPS', url: null }] }] },
  async run(ctx) {
    const client = shopifyClient(ctx);
    const orderId = await resolveOrderId(client, ctx.props.orderId, ctx.props.orderName);
    const { order } = await client.query(FULFILLMENT_ORDERS_QUERY, { id: orderId }, fulfillmentOrders);
    if (!order) throw new ConnectorError('NOT_FOUND', `Shopify has no order ${orderId}`, { details: { orderId } });
    const { trackingNumber, trackingCompany, trackingUrl } = ctx.props;

    // The same tracking number already on the order means this step ran before (a retry or a replay) — maybe only in
    // part: it makes one fulfillment per location, and a failure after the first leaves the others to do.
    const existing = trackingNumber ? order.fulfillments.filter((f) => f.status !== 'CANCELLED' && f.trackingInfo.some((t) => t.number === trackingNumber)) : [];
    const existingOut: JsonObject[] = existing.map((f) => ({ id: f.id, status: f.status, trackingInfo: f.trackingInfo }));
    const doneLocations = new Set(existing.map((f) => f.location?.id ?? ''));
    let wanted = ctx.props.lines && ctx.props.lines.length > 0 ? ctx.props.lines.map((l) => ({ ...l })) : null;
    if (wanted && existing.length > 0) {
      // What the earlier run shipped under this tracking number counts towards the lines asked for.
      for (const s of await shippedLines(client, existing.map((f) => f.id))) {
        let left = s.quantity;
        for (const w of wanted) {
          if (left === 0) break;
          const match = w.lineItemId !== undefined ? s.lineItem.id === toGid('LineItem', w.lineItemId) : s.lineItem.sku === w.sku;
          if (!match || w.quantity === 0) continue;
          const take = Math.min(left, w.quantity);
          w.quantity -= take;
          left -= take;
        }
      }
      wanted = wanted.filter((w) => w.quantity > 0);
      if (wanted.length === 0) return { created: false, fulfillments: existingOut };
    }

    const openLines: Array<{ fo: (typeof order.fulfillmentOrders.nodes)[number]; l: z.infer<typeof foLine>; left: number }> = [];
    for (const fo of order.fulfillmentOrders.nodes.filter((f) => f.status === 'OPEN' || f.status === 'IN_PROGRESS')) {
      const lines = await collect(
        paginateCursor<z.infer<typeof foLine>>({
          fetchPage: async (after) => {
            const r = await client.query(FULFILLMENT_ORDER_LINES_QUERY, { id: fo.id, after }, foLines);
            return r.fulfillmentOrder ? { items: r.fulfillmentOrder.lineItems.nodes, pageInfo: r.fulfillmentOrder.lineItems.pageInfo } : { items: [], pageInfo: { hasNextPage: false } };
          },
        }),
      );
      for (const l of lines) if (l.remainingQuantity > 0) openLines.push({ fo, l, left: l.remainingQuantity });
    }

    const picks: Pick[] = [];
    if (wanted) {
      const problems: string[] = [];
      for (const want of wanted) {
        let need = want.quantity;
        for (const c of openLines) {
          if (need === 0) break;
          const match = want.lineItemId !== undefined ? c.l.lineItem.id === toGid('LineItem', want.lineItemId) : c.l.lineItem.sku === want.sku;
          if (!match || c.left === 0) continue;
          const take = Math.min(need, c.left);
          c.left -= take;
          need -= take;
          picks.push({ fulfillmentOrderId: c.fo.id, locationId: c.fo.assignedLocation.location?.id ?? '', lineId: c.l.id, quantity: take });
        }
        if (need > 0) problems.push(`${want.sku ?? want.lineItemId}: ${want.quantity - need} of ${want.quantity} can still be fulfilled`);
      }
      if (problems.length > 0) throw new ConnectorError('VALIDATION', `order ${order.name} cannot ship these lines: ${problems.join('; ')}`, { details: { orderId, problems } });
    } else {
      for (const c of openLines) {
        const locationId = c.fo.assignedLocation.location?.id ?? '';
        // A location the earlier run already shipped from under this tracking number is done.
        if (!doneLocations.has(locationId)) picks.push({ fulfillmentOrderId: c.fo.id, locationId, lineId: c.l.id, quantity: c.left });
      }
    }
    if (picks.length === 0) return { created: false, fulfillments: existingOut };

    // One fulfillment per shipping location: Shopify requires a fulfillment's fulfillment orders to share one.
    const byLocation = new Map<string, Pick[]>();
    for (const p of picks) byLocation.set(p.locationId, [...(byLocation.get(p.locationId) ?? []), p]);
    const tracking: JsonObject = {};
    if (trackingNumber) tracking.number = trackingNumber;
    if (trackingCompany) tracking.company = trackingCompany;
    if (trackingUrl) tracking.url = trackingUrl;

    const created: JsonObject[] = [...existingOut];
    for (const group of byLocation.values()) {
      const byFo = new Map<string, Array<{ id: string; quantity: number }>>();
      for (const p of group) byFo.set(p.fulfillmentOrderId, [...(byFo.get(p.fulfillmentOrderId) ?? []), { id: p.lineId, quantity: p.quantity }]);
      const fulfillment: JsonObject = {
        notifyCustomer: ctx.props.notifyCustomer,
        lineItemsByFulfillmentOrder: [...byFo].map(([fulfillmentOrderId, fulfillmentOrderLineItems]) => ({ fulfillmentOrderId, fulfillmentOrderLineItems })),
      };
      if (Object.keys(tracking).length > 0) fulfillment.trackingInfo = tracking;
      const res = await client.mutate(FULFILLMENT_CREATE, { fulfillment }, 'fulfillmentCreate', createPayload);
      if (res.fulfillment) created.push(res.fulfillment);
    }
    return { created: true, fulfillments: created };
  },
});
