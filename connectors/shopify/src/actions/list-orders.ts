import { defineAction, paginateCursor, prop, type JsonObject } from '@tributary/connector-sdk';
import { z } from 'zod';
import { shopifyClient } from '../client.ts';
import { ORDERS_QUERY } from '../graphql/orders.ts';
import { orderNodeSchema, orderOutput, pageInfoSchema, type OrderNode } from '../models.ts';
import { SAMPLE_ORDER } from '../samples.ts';

const page = z.object({ orders: z.object({ nodes: z.array(orderNodeSchema), pageInfo: pageInfoSchema }) });

const { lineItems: _lines, ...ORDER_SUMMARY } = SAMPLE_ORDER;

const SORT_KEYS = ['UPDATED_AT', 'CREATED_AT', 'PROCESSED_AT', 'ORDER_NUMBER', 'ID'] as const;

export const listOrders = defineAction({
  name: 'listOrders',
  label: 'List orders',
  description: 'Orders matching a Shopify search query (e.g. "financial_status:paid tag:wholesale"), following cursor pages. Line items are left out; use Get order for them.',
  props: {
    query: prop.string({ label: 'Search query', description: 'Shopify search syntax: updated_at:>=2025-01-01 status:open tag:wholesale…' }),
    sortKey: prop.select({ label: 'Sort by', options: SORT_KEYS.map((k) => ({ value: k, label: k.toLowerCase().replace('_', ' ') })), default: 'UPDATED_AT' }),
    reverse: prop.boolean({ label: 'Newest first', default: false }),
    pageSize: prop.integer({ label: 'Orders per request', default: 50, min: 1, max: 250, advanced: true }),
    maxItems: prop.integer({ label: 'At most', default: 250, min: 1, max: 10_000 }),
  },
  write: false,
  idempotent: true,
  exampleProps: { query: 'status:open', maxItems: 100 },
  sampleOutput: { orders: [ORDER_SUMMARY], truncated: false },
  async run(ctx) {
    const client = shopifyClient(ctx);
    const { query, sortKey, reverse, pageSize, maxItems } = ctx.props;
    const orders: JsonObject[] = [];
    let truncated = false;
    const pages = paginateCursor<OrderNode>({
      maxPages: Math.ceil(maxItems / pageSize) + 1,
      fetchPage: async (after) => {
        const data = await client.query(ORDERS_QUERY, { first: pageSize, after, query: query ?? null, sortKey, reverse }, page);
        return { items: data.orders.nodes, pageInfo: data.orders.pageInfo };
      },
    });
    for await (const o of pages) {
      if (orders.length === maxItems) {
        truncated = true;
        break;
      }
      orders.push(orderOutput(o, null));
    }
    return { orders, truncated };
  },
});
