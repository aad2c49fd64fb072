import { z } from 'zod';

/** Money as Shopify takes it (a decimal string); numbers are accepted and formatted without float noise. */
export const moneySchema = z.union([
  z.string().regex(/^\d+(\.\d+)?$/, 'must be a decimal amount like 19.99'),
  z.number().nonnegative().transform((n) => String(Math.round(n * 10000) / 10000)),
]);
