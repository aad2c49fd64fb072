import { defineTrigger, paginateCursor, prop, type JsonObject } from '@tributary/connector-sdk';
import { z } from 'zod';
import { shopifyClient } from '../client.ts';
import { ORDERS_WITH_LINES_QUERY } from '../graphql/orders.ts';
import { lineItemConnectionSchema, orderNodeSchema, orderOutput, pageInfoSchema } from '../models.ts';
import { remainingLineItems } from '../order-reader.ts';
import { SAMPLE_ORDER } from '../samples.ts';

// Five orders with 25 lines each keeps a page near 600 cost points, well under the 1,000-point single-query cap.
const PAGE = 5;
const LINES = 25;

const orderWithLines = orderNodeSchema.extend({ lineItems: lineItemConnectionSchema });
const page = z.object({ orders: z.object({ nodes: z.array(orderWithLines), pageInfo: pageInfoSchema }) });

/** Shopify's search syntax wants the timestamp quoted. */
export function updatedSinceQuery(since: string, extra: string | undefined): string {
  const base = `updated_at:>='${since}'`;
  return extra && extra.trim() ? `${base} ${extra.trim()}` : base;
}

export const ordersUpdatedSince = defineTrigger({
  name: 'ordersUpdatedSince',
  label: 'Orders updated (polling)',
  description:
    'Polls for orders updated since the last watermark (updated_at:>= watermark minus an overlap window), oldest first, with every line item. The watermark becomes the newest updatedAt seen; orders inside the overlap can come again, so writes downstream must be idempotent on (order id, updatedAt).',
  source: 'poll',
  props: {
    overlapMinutes: prop.integer({ label: 'Overlap (minutes)', default: 5, min: 0, max: 1440, description: 'Re-reads this much before the watermark: Shopify’s search index can lag a little behind writes.' }),
    initialLookbackHours: prop.integer({ label: 'First poll looks back (hours)', default: 24, min: 0, max: 24 * 365 }),
    query: prop.string({ label: 'Extra filter', description: 'Shopify search terms ANDed to the time filter, e.g. "tag:wholesale"' }),
    maxItems: prop.integer({ label: 'At most per poll', default: 250, min: 1, max: 5000 }),
  },
  exampleProps: {},
  sampleOutput: SAMPLE_ORDER,
  async poll(ctx) {
    const client = shopifyClient(ctx);
    const { overlapMinutes, initialLookbackHours, query, maxItems } = ctx.props;
    const previous = typeof ctx.watermark === 'string' && !Number.isNaN(Date.parse(ctx.watermark)) ? ctx.watermark : null;
    const since = previous ? new Date(Date.parse(previous) - overlapMinutes * 60_000) : new Date(ctx.now() - initialLookbackHours * 3_600_000);
    const sinceIso = since.toISOString().replace(/\.000Z$/, 'Z');
    const items: JsonObject[] = [];
    let newest = previous ?? sinceIso;
    const pages = paginateCursor<z.infer<typeof orderWithLines>>({
      maxPages: Math.ceil(maxItems / PAGE) + 1,
      fetchPage: async (after) => {
        const data = await client.query(ORDERS_WITH_LINES_QUERY, { first: PAGE, after, query: updatedSinceQuery(sinceIso, query), lineItemsFirst: LINES }, page);
        return { items: data.orders.nodes, pageInfo: data.orders.pageInfo };
      },
    });
    for await (const o of pages) {
      if (items.length >= maxItems) break;
      items.push(orderOutput(o, await remainingLineItems(client, o.id, o.lineItems)));
      if (Date.parse(o.updatedAt) > Date.parse(newest)) newest = o.updatedAt;
    }
    return { items, watermark: newest };
  },
});
