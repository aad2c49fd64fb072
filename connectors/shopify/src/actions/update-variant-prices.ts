import { defineAction, prop, type JsonObject } from '@tributary/connector-sdk';
import { z } from 'zod';
import { shopifyClient } from '../client.ts';
import { PRODUCT_VARIANTS_BULK_UPDATE } from '../graphql/products.ts';
import { toGid, userErrorSchema } from '../models.ts';
import { moneySchema } from '../props.ts';
import { variantsById, variantsBySku } from '../variant-resolver.ts';

const priceSchema = z
  .object({
    sku: z.string().min(1).optional(),
    variantId: z.union([z.string().min(1), z.number().int().transform(String)]).optional(),
    price: moneySchema,
    compareAtPrice: moneySchema.nullable().optional(),
  })
  .refine((p) => p.sku !== undefined || p.variantId !== undefined, { message: 'give sku or variantId' });

const payload = z.object({
  productVariants: z.array(z.object({ id: z.string(), sku: z.string().nullable(), price: z.string(), compareAtPrice: z.string().nullable(), updatedAt: z.string() })).nullable(),
  userErrors: z.array(userErrorSchema),
});

export const updateVariantPrices = defineAction({
  name: 'updateVariantPrices',
  label: 'Update variant prices',
  description: 'Sets the price (and compare-at price) of variants by SKU or id, one productVariantsBulkUpdate per product. Absolute values: repeating it is harmless.',
  props: {
    prices: prop.array({ label: 'Prices', required: true, description: '[{ "sku": "TR2-SLT-10", "price": "44.00", "compareAtPrice": null }]', schema: z.array(priceSchema).min(1) }),
  },
  write: true,
  idempotent: true,
  exampleProps: { prices: [{ sku: 'TR2-SLT-10', price: '44.00' }] },
  sampleOutput: { variants: [{ id: 'gid://shopify/ProductVariant/47120033513788', sku: 'TR2-SLT-10', price: '44.00', compareAtPrice: null, updatedAt: '2026-11-22T16:00:00Z' }] },
  async run(ctx) {
    const client = shopifyClient(ctx);
    const { prices } = ctx.props;
    const skus = prices.filter((p) => p.variantId === undefined).map((p) => p.sku!);
    const ids = prices.filter((p) => p.variantId !== undefined).map((p) => toGid('ProductVariant', p.variantId!));
    const bySku = skus.length ? await variantsBySku(client, skus) : new Map();
    const byId = ids.length ? await variantsById(client, ids) : new Map();
    const byProduct = new Map<string, JsonObject[]>();
    for (const p of prices) {
      const v = p.variantId !== undefined ? byId.get(toGid('ProductVariant', p.variantId))! : bySku.get(p.sku!)!;
      const input: JsonObject = { id: v.id, price: p.price };
      if (p.compareAtPrice !== undefined) input.compareAtPrice = p.compareAtPrice;
      byProduct.set(v.productId, [...(byProduct.get(v.productId) ?? []), input]);
    }
    const variants: JsonObject[] = [];
    for (const [productId, list] of byProduct) {
      const res = await client.mutate(PRODUCT_VARIANTS_BULK_UPDATE, { productId, variants: list }, 'productVariantsBulkUpdate', payload);
      variants.push(...(res.productVariants ?? []));
    }
    return { variants };
  },
});
