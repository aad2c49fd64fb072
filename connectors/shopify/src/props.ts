import type { PropDef } from '@tributary/connector-sdk';
import { z } from 'zod';

/**
 * A Shopify id prop: a GID or a number. Webhook payloads carry numeric ids (`"id": 5820458172476`), so an expression
 * like `$trigger.id` yields a number; the value is taken as its decimal text.
 */
export function idProp(o: { label: string; description?: string; placeholder?: string }): PropDef<string> {
  return {
    spec: { type: 'string', label: o.label, required: true, ...(o.description ? { description: o.description } : {}), ...(o.placeholder ? { placeholder: o.placeholder } : {}) },
    schema: z.union([z.string().min(1), z.number().int().nonnegative().transform((n) => String(n))]) as unknown as z.ZodType<string>,
  };
}

/** Money as Shopify takes it (a decimal string); numbers are accepted and formatted without float noise. */
export const moneySchema = z.union([
  z.string().regex(/^\d+(\.\d+)?$/, 'must be a decimal amount like 19.99'),
  z.number().nonnegative().transform((n) => String(Math.round(n * 10000) / 10000)),
]);
