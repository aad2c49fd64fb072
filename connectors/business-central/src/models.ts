import { toJsonValue, type JsonObject } from '@tributary/connector-sdk';
import { z } from 'zod';

/**
 * Business Central API v2.0 entities as the connector reads them. The properties the connector relies on are
 * typed; the rest pass through unchanged so flows see every field BC returns (the `@odata.etag` becomes `etag`).
 */

const etagged = { '@odata.etag': z.string() };

export const customerSchema = z.looseObject({
  ...etagged,
  id: z.string(),
  number: z.string(),
  displayName: z.string(),
  email: z.string(),
  lastModifiedDateTime: z.string(),
});

export const itemSchema = z.looseObject({
  ...etagged,
  id: z.string(),
  number: z.string(),
  displayName: z.string(),
  inventory: z.number(),
  unitPrice: z.number(),
  blocked: z.boolean(),
  lastModifiedDateTime: z.string(),
});

export const salesOrderLineSchema = z.looseObject({
  ...etagged,
  id: z.string(),
  sequence: z.number(),
  lineType: z.string(),
  lineObjectNumber: z.string(),
  quantity: z.number(),
  unitPrice: z.number(),
});

export const salesOrderSchema = z.looseObject({
  ...etagged,
  id: z.string(),
  number: z.string(),
  externalDocumentNumber: z.string(),
  orderDate: z.string(),
  customerNumber: z.string(),
  status: z.string(),
  totalAmountIncludingTax: z.number(),
  lastModifiedDateTime: z.string(),
  salesOrderLines: z.array(salesOrderLineSchema).optional(),
});

export const salesShipmentLineSchema = z.looseObject({
  ...etagged,
  id: z.string(),
  documentNo: z.string(),
  sequence: z.number(),
  lineType: z.string(),
  lineObjectNumber: z.string(),
  quantity: z.number(),
});

export const salesShipmentSchema = z.looseObject({
  ...etagged,
  id: z.string(),
  number: z.string(),
  externalDocumentNumber: z.string(),
  orderNumber: z.string(),
  customerNumber: z.string(),
  postingDate: z.string(),
  lastModifiedDateTime: z.string(),
  salesShipmentLines: z.array(salesShipmentLineSchema).optional(),
});

/** An entity as a step output: `@odata.etag` renamed `etag`, nested lines likewise. */
export function entityOutput(e: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === '@odata.etag') out.etag = toJsonValue(v);
    else if (k.startsWith('@odata.')) continue;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'object' && x !== null)) out[k] = v.map((x) => entityOutput(x as Record<string, unknown>));
    else out[k] = toJsonValue(v);
  }
  return out;
}

/** The newest `lastModifiedDateTime` of the rows, or `fallback`. */
export function newestModified(rows: ReadonlyArray<{ lastModifiedDateTime: string }>, fallback: string | null): string | null {
  let best = fallback;
  for (const r of rows) if (best === null || Date.parse(r.lastModifiedDateTime) > Date.parse(best)) best = r.lastModifiedDateTime;
  return best;
}
