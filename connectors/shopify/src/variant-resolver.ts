import { ConnectorError } from '@tributary/connector-sdk';
import { z } from 'zod';
import type { ShopifyClient } from './client.ts';
import { VARIANTS_BY_IDS, VARIANTS_BY_QUERY } from './graphql/products.ts';

export interface ResolvedVariant {
  id: string;
  sku: string | null;
  productId: string;
  inventoryItemId: string | null;
}

const BATCH = 25;
/** Pages of near matches read per batch before giving up (a query that matches far more than it asked for). */
const MAX_PAGES = 20;

const byQuery = z.object({
  productVariants: z.object({
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
    nodes: z.array(z.object({ id: z.string(), sku: z.string().nullable(), product: z.object({ id: z.string() }), inventoryItem: z.object({ id: z.string() }) })),
  }),
});

const byIds = z.object({ nodes: z.array(z.object({ id: z.string().optional(), sku: z.string().nullable().optional(), product: z.object({ id: z.string() }).optional() }).nullable()) });

/** A value quoted for Shopify's search syntax. */
export function searchValue(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Variants by SKU, 25 per request; every SKU must exist exactly once (an ambiguous SKU is a VALIDATION error). */
export async function variantsBySku(client: ShopifyClient, skus: readonly string[]): Promise<Map<string, ResolvedVariant>> {
  const wanted = [...new Set(skus)];
  const found = new Map<string, ResolvedVariant[]>();
  for (let i = 0; i < wanted.length; i += BATCH) {
    const batch = wanted.slice(i, i + BATCH);
    const query = batch.map((s) => `sku:${searchValue(s)}`).join(' OR ');
    // Shopify's search is case-insensitive and token-based, so the answer can hold near matches
    // ("abc-1" for "ABC-1") besides the exact ones. Every page is read: an exact match, or a second
    // variant with the same SKU, may come after them. Usually one page holds all.
    let after: string | null = null;
    for (let page = 0; ; page++) {
      if (page >= MAX_PAGES) throw new ConnectorError('UPSTREAM_ERROR', `Shopify: the search for ${batch.length} SKU(s) matched more than ${MAX_PAGES * batch.length * 2} variants`, { kind: 'internal', retryable: false, details: { skus: batch } });
      const data: z.infer<typeof byQuery> = await client.query(VARIANTS_BY_QUERY, { first: batch.length * 2, query, after }, byQuery);
      for (const v of data.productVariants.nodes) {
        // Keep exact matches only.
        if (v.sku === null || !batch.includes(v.sku)) continue;
        found.set(v.sku, [...(found.get(v.sku) ?? []), { id: v.id, sku: v.sku, productId: v.product.id, inventoryItemId: v.inventoryItem.id }]);
      }
      const { hasNextPage, endCursor } = data.productVariants.pageInfo;
      if (!hasNextPage || endCursor === null) break;
      after = endCursor;
    }
  }
  const missing = wanted.filter((s) => !found.has(s));
  const ambiguous = wanted.filter((s) => (found.get(s)?.length ?? 0) > 1);
  if (missing.length || ambiguous.length) {
    const parts = [missing.length ? `no variant has SKU ${missing.join(', ')}` : '', ambiguous.length ? `more than one variant has SKU ${ambiguous.join(', ')}` : ''].filter(Boolean);
    throw new ConnectorError('VALIDATION', `Shopify: ${parts.join('; ')}`, { details: { missingSkus: missing, ambiguousSkus: ambiguous } });
  }
  return new Map(wanted.map((s) => [s, found.get(s)![0]!]));
}

/** Variants by GID with their product (what productVariantsBulkUpdate needs). */
export async function variantsById(client: ShopifyClient, ids: readonly string[]): Promise<Map<string, ResolvedVariant>> {
  const wanted = [...new Set(ids)];
  const out = new Map<string, ResolvedVariant>();
  for (let i = 0; i < wanted.length; i += 100) {
    const data = await client.query(VARIANTS_BY_IDS, { ids: wanted.slice(i, i + 100) }, byIds);
    for (const n of data.nodes) if (n?.id && n.product) out.set(n.id, { id: n.id, sku: n.sku ?? null, productId: n.product.id, inventoryItemId: null });
  }
  const missing = wanted.filter((id) => !out.has(id));
  if (missing.length) throw new ConnectorError('VALIDATION', `Shopify has no variant ${missing.join(', ')}`, { details: { missingVariantIds: missing } });
  return out;
}
