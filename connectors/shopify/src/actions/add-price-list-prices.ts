import { ConnectorError, defineAction, prop, type JsonObject } from '@tributary/connector-sdk';
import { z } from 'zod';
import { shopifyClient } from '../client.ts';
import { PRICE_LIST_FIXED_PRICES_ADD, PRICE_LIST_QUERY } from '../graphql/price-lists.ts';
import { toGid, userErrorSchema } from '../models.ts';
import { moneySchema } from '../props.ts';
import { variantsBySku } from '../variant-resolver.ts';

const priceSchema = z
  .object({
    sku: z.string().min(1).optional(),
    variantId: z.union([z.string().min(1), z.number().int().transform(String)]).optional(),
    price: moneySchema,
    compareAtPrice: moneySchema.optional(),
  })
  .refine((p) => p.sku !== undefined || p.variantId !== undefined, { message: 'give sku or variantId' });

const listSchema = z.object({ priceList: z.object({ id: z.string(), name: z.string(), currency: z.string() }).nullable() });
const money = z.object({ amount: z.string(), currencyCode: z.string() });
const payload = z.object({
  prices: z.array(z.object({ variant: z.object({ id: z.string(), sku: z.string().nullable() }), price: money, compareAtPrice: money.nullable() })).nullable(),
  userErrors: z.array(userErrorSchema),
});

const PER_CALL = 100;

export const addPriceListPrices = defineAction({
  name: 'addPriceListPrices',
  label: 'Set fixed prices on a price list',
  description: 'Adds or replaces fixed prices for variants on a B2B price list (priceListFixedPricesAdd), in the list’s currency. Repeating it sets the same prices again.',
  props: {
    priceListId: prop.id({ label: 'Price list id', required: true, description: 'gid://shopify/PriceList/…' }),
    prices: prop.array({ label: 'Prices', required: true, description: '[{ "sku": "TR2-SLT-10", "price": "38.25" }]', schema: z.array(priceSchema).min(1) }),
  },
  write: true,
  idempotent: true,
  exampleProps: { priceListId: 'gid://shopify/PriceList/3001', prices: [{ sku: 'TR2-SLT-10', price: '38.25' }] },
  sampleOutput: { priceListId: 'gid://shopify/PriceList/3001', currency: 'USD', prices: [{ variantId: 'gid://shopify/ProductVariant/47120033513788', sku: 'TR2-SLT-10', price: '38.25', compareAtPrice: null }] },
  async run(ctx) {
    const client = shopifyClient(ctx);
    const priceListId = toGid('PriceList', ctx.props.priceListId);
    const { priceList } = await client.query(PRICE_LIST_QUERY, { id: priceListId }, listSchema);
    if (!priceList) throw new ConnectorError('NOT_FOUND', `Shopify has no price list ${priceListId}`, { details: { priceListId } });
    const { prices } = ctx.props;
    const skus = prices.filter((p) => p.variantId === undefined).map((p) => p.sku!);
    const bySku = skus.length ? await variantsBySku(client, skus) : new Map();
    const inputs: JsonObject[] = prices.map((p) => {
      const variantId = p.variantId !== undefined ? toGid('ProductVariant', p.variantId) : bySku.get(p.sku!)!.id;
      const input: JsonObject = { variantId, price: { amount: p.price, currencyCode: priceList.currency } };
      if (p.compareAtPrice !== undefined) input.compareAtPrice = { amount: p.compareAtPrice, currencyCode: priceList.currency };
      return input;
    });
    const out: JsonObject[] = [];
    for (let i = 0; i < inputs.length; i += PER_CALL) {
      const res = await client.mutate(PRICE_LIST_FIXED_PRICES_ADD, { priceListId, prices: inputs.slice(i, i + PER_CALL) }, 'priceListFixedPricesAdd', payload);
      for (const p of res.prices ?? []) out.push({ variantId: p.variant.id, sku: p.variant.sku, price: p.price.amount, compareAtPrice: p.compareAtPrice?.amount ?? null });
    }
    return { priceListId, currency: priceList.currency, prices: out };
  },
});
