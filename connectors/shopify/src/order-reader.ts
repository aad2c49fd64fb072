import { paginateCursor, type JsonObject } from '@tributary/connector-sdk';
import { z } from 'zod';
import type { ShopifyClient } from './client.ts';
import { ORDER_LINE_ITEMS_QUERY, ORDER_QUERY } from './graphql/orders.ts';
import { lineItemConnectionSchema, orderNodeSchema, orderOutput, type LineItemNode } from './models.ts';

const LINE_PAGE = 100;

const orderWithLines = z.object({ order: orderNodeSchema.extend({ lineItems: lineItemConnectionSchema }).nullable() });
const linesPage = z.object({ order: z.object({ lineItems: lineItemConnectionSchema }).nullable() });

/** The rest of an order's line items after a first page (B2B orders can have hundreds of lines). */
export async function remainingLineItems(client: ShopifyClient, orderId: string, first: z.infer<typeof lineItemConnectionSchema>): Promise<LineItemNode[]> {
  const lines = [...first.nodes];
  if (!first.pageInfo.hasNextPage) return lines;
  const rest = paginateCursor<LineItemNode>({
    startCursor: first.pageInfo.endCursor,
    fetchPage: async (after) => {
      const page = await client.query(ORDER_LINE_ITEMS_QUERY, { id: orderId, first: LINE_PAGE, after }, linesPage);
      return page.order ? { items: page.order.lineItems.nodes, pageInfo: page.order.lineItems.pageInfo } : { items: [], pageInfo: { hasNextPage: false } };
    },
  });
  for await (const l of rest) lines.push(l);
  return lines;
}

/** One order with every line item, as actions return it; null when Shopify has no such order. */
export async function readOrder(client: ShopifyClient, id: string): Promise<JsonObject | null> {
  const data = await client.query(ORDER_QUERY, { id, lineItemsFirst: LINE_PAGE }, orderWithLines);
  if (!data.order) return null;
  return orderOutput(data.order, await remainingLineItems(client, id, data.order.lineItems));
}
