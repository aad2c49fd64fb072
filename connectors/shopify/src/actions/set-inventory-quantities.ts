import { ConnectorError, defineAction, prop, type JsonObject } from '@tributary/connector-sdk';
import { z } from 'zod';
import { shopifyClient } from '../client.ts';
import { INVENTORY_SET_QUANTITIES } from '../graphql/inventory.ts';
import { toGid, userErrorSchema } from '../models.ts';
import { variantsBySku } from '../variant-resolver.ts';

const quantitySchema = z
  .object({
    sku: z.string().min(1).optional(),
    inventoryItemId: z.union([z.string().min(1), z.number().int().transform(String)]).optional(),
    quantity: z.number().int(),
    compareQuantity: z.number().int().optional(),
  })
  .refine((q) => q.sku !== undefined || q.inventoryItemId !== undefined, { message: 'give sku or inventoryItemId' });

const payload = z.object({
  inventoryAdjustmentGroup: z
    .object({
      id: z.string(),
      reason: z.string(),
      changes: z.array(z.object({ name: z.string(), delta: z.number(), quantityAfterChange: z.number().nullable(), item: z.object({ id: z.string(), sku: z.string().nullable() }).nullable(), location: z.object({ id: z.string() }).nullable() })),
    })
    .nullable(),
  userErrors: z.array(userErrorSchema),
});

/** Shopify accepts at most 250 quantities per inventorySetQuantities call. */
const MAX_PER_CALL = 250;

export const setInventoryQuantities = defineAction({
  name: 'setInventoryQuantities',
  label: 'Set inventory quantities',
  description:
    'Sets the quantity of items at a location to absolute values (inventorySetQuantities). "on_hand" is right for an ERP’s physical stock: Shopify keeps units committed to unfulfilled orders out of "available" itself. "available" overwrites what is sellable, so stock committed to orders the ERP has not shipped yet becomes sellable again. Setting the same numbers again changes nothing, so retries are safe. With compare quantities on, Shopify refuses a change if stock moved since it was read.',
  props: {
    locationId: prop.id({ label: 'Location id', required: true, description: 'gid://shopify/Location/… or numeric id' }),
    quantityName: prop.select({
      label: 'Quantity to set',
      default: 'available',
      options: [
        { value: 'available', label: 'available (sellable now)' },
        { value: 'on_hand', label: 'on hand (physical stock, e.g. from the ERP)' },
      ],
      description: 'Shopify computes available = on hand − committed − unavailable. From an ERP that has not yet shipped Shopify’s open orders, set on hand, or those orders’ units are sold twice.',
    }),
    quantities: prop.array({ label: 'Quantities', required: true, description: '[{ "sku": "TR2-SLT-10", "quantity": 96 }] or inventoryItemId instead of sku', schema: z.array(quantitySchema).min(1) }),
    reason: prop.select({
      label: 'Reason',
      default: 'correction',
      options: ['correction', 'cycle_count_available', 'received', 'restock', 'damaged', 'shrinkage', 'safety_stock', 'quality_control', 'promotion', 'other'].map((r) => ({ value: r, label: r.replace(/_/g, ' ') })),
    }),
    useCompareQuantity: prop.boolean({ label: 'Only if unchanged since read (compareQuantity)', default: false, advanced: true }),
    referenceDocumentUri: prop.string({ label: 'Reference document URI', advanced: true, placeholder: 'gid://tributary/Run/run_123' }),
  },
  write: true,
  idempotent: true,
  exampleProps: { locationId: 'gid://shopify/Location/71234567890', quantities: [{ sku: 'TR2-SLT-10', quantity: 96 }] },
  sampleOutput: { changed: 1, changes: [{ name: 'available', delta: -24, quantityAfterChange: 96, inventoryItemId: 'gid://shopify/InventoryItem/49220033513788', sku: 'TR2-SLT-10', locationId: 'gid://shopify/Location/71234567890' }] },
  async run(ctx) {
    const client = shopifyClient(ctx);
    const locationId = toGid('Location', ctx.props.locationId);
    const { quantities, useCompareQuantity } = ctx.props;
    if (useCompareQuantity) {
      const missing = quantities.filter((q) => q.compareQuantity === undefined).map((q) => q.sku ?? q.inventoryItemId);
      if (missing.length) throw new ConnectorError('VALIDATION', `compareQuantity is on, but these lines have none: ${missing.join(', ')}`, { details: { field: 'quantities', missing } });
    }
    const skus = quantities.filter((q) => q.inventoryItemId === undefined).map((q) => q.sku!);
    const bySku = skus.length ? await variantsBySku(client, skus) : new Map();
    const lines = quantities.map((q) => {
      const line: JsonObject = {
        inventoryItemId: q.inventoryItemId !== undefined ? toGid('InventoryItem', q.inventoryItemId) : bySku.get(q.sku!)!.inventoryItemId!,
        locationId,
        quantity: q.quantity,
      };
      if (useCompareQuantity) line.compareQuantity = q.compareQuantity!;
      return line;
    });
    const changes: JsonObject[] = [];
    for (let i = 0; i < lines.length; i += MAX_PER_CALL) {
      const input: JsonObject = { name: ctx.props.quantityName, reason: ctx.props.reason, ignoreCompareQuantity: !useCompareQuantity, quantities: lines.slice(i, i + MAX_PER_CALL) };
      if (ctx.props.referenceDocumentUri) input.referenceDocumentUri = ctx.props.referenceDocumentUri;
      const res = await client.mutate(INVENTORY_SET_QUANTITIES, { input }, 'inventorySetQuantities', payload);
      for (const c of res.inventoryAdjustmentGroup?.changes ?? []) {
        // Shopify also reports the quantity that moved with it (available with on_hand); report the one that was set.
        if (c.name !== ctx.props.quantityName) continue;
        changes.push({ name: c.name, delta: c.delta, quantityAfterChange: c.quantityAfterChange, inventoryItemId: c.item?.id ?? null, sku: c.item?.sku ?? null, locationId: c.location?.id ?? null });
      }
    }
    return { changed: changes.length, changes };
  },
});
