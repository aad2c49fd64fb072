import { ConnectorError, type JsonObject } from '@tributary/connector-sdk';
import { z } from 'zod';

/** Response shapes of the documents in src/graphql, and the plain JSON the actions return. */

export const pageInfoSchema = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });

const moneyBag = z.object({ shopMoney: z.object({ amount: z.string(), currencyCode: z.string() }) });

const addressSchema = z
  .object({
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    company: z.string().nullable(),
    address1: z.string().nullable(),
    address2: z.string().nullable(),
    city: z.string().nullable(),
    province: z.string().nullable(),
    provinceCode: z.string().nullable(),
    zip: z.string().nullable(),
    country: z.string().nullable(),
    countryCodeV2: z.string().nullable(),
    phone: z.string().nullable(),
  })
  .nullable();

export const lineItemSchema = z.object({
  id: z.string(),
  sku: z.string().nullable(),
  title: z.string(),
  variantTitle: z.string().nullable(),
  name: z.string(),
  quantity: z.number(),
  originalUnitPriceSet: z.object({ shopMoney: z.object({ amount: z.string() }) }),
  variant: z.object({ id: z.string() }).nullable(),
});

export const lineItemConnectionSchema = z.object({ nodes: z.array(lineItemSchema), pageInfo: pageInfoSchema });

export const orderNodeSchema = z.object({
  id: z.string(),
  legacyResourceId: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  processedAt: z.string(),
  cancelledAt: z.string().nullable(),
  currencyCode: z.string(),
  poNumber: z.string().nullable(),
  note: z.string().nullable(),
  tags: z.array(z.string()),
  displayFinancialStatus: z.string().nullable(),
  displayFulfillmentStatus: z.string(),
  customAttributes: z.array(z.object({ key: z.string(), value: z.string().nullable() })),
  subtotalPriceSet: moneyBag.nullable(),
  totalTaxSet: moneyBag.nullable(),
  totalShippingPriceSet: moneyBag,
  totalPriceSet: moneyBag,
  customer: z.object({ id: z.string(), firstName: z.string().nullable(), lastName: z.string().nullable(), email: z.string().nullable() }).nullable(),
  purchasingEntity: z
    .union([
      z.object({
        __typename: z.literal('PurchasingCompany'),
        company: z.object({ id: z.string(), name: z.string(), externalId: z.string().nullable() }),
        location: z.object({ id: z.string(), name: z.string(), externalId: z.string().nullable() }),
        contact: z.object({ id: z.string() }).nullable(),
      }),
      z.object({ __typename: z.string() }),
    ])
    .nullable(),
  shippingAddress: addressSchema,
  billingAddress: addressSchema,
});

export type OrderNode = z.infer<typeof orderNodeSchema>;
export type LineItemNode = z.infer<typeof lineItemSchema>;

/** Accepts a GID or a numeric id (as webhooks and the admin URL show them) and returns the GID. */
export function toGid(type: string, id: string): string {
  const v = id.trim();
  if (/^\d+$/.test(v)) return `gid://shopify/${type}/${v}`;
  if (new RegExp(`^gid://shopify/${type}/[^/]+$`).test(v)) return v;
  throw new ConnectorError('VALIDATION', `"${id}" is not a Shopify ${type} id (expected a number or gid://shopify/${type}/…)`, { details: { field: 'id', value: id } });
}

function address(a: z.infer<typeof addressSchema>): JsonObject | null {
  if (a === null) return null;
  return {
    firstName: a.firstName,
    lastName: a.lastName,
    company: a.company,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province: a.province,
    provinceCode: a.provinceCode,
    zip: a.zip,
    country: a.country,
    countryCode: a.countryCodeV2,
    phone: a.phone,
  };
}

export function lineItemOutput(l: LineItemNode): JsonObject {
  return {
    id: l.id,
    sku: l.sku,
    title: l.title,
    variantTitle: l.variantTitle,
    name: l.name,
    quantity: l.quantity,
    unitPrice: l.originalUnitPriceSet.shopMoney.amount,
    variantId: l.variant?.id ?? null,
  };
}

/** An order as actions and the poll trigger return it: ids, money as decimal strings, the B2B company if any. */
export function orderOutput(o: OrderNode, lineItems: readonly LineItemNode[] | null): JsonObject {
  const pe = o.purchasingEntity;
  const company =
    pe && pe.__typename === 'PurchasingCompany' && 'company' in pe
      ? { id: pe.company.id, name: pe.company.name, externalId: pe.company.externalId, locationId: pe.location.id, locationName: pe.location.name, locationExternalId: pe.location.externalId, contactId: pe.contact?.id ?? null }
      : null;
  const out: JsonObject = {
    id: o.id,
    legacyId: o.legacyResourceId,
    name: o.name,
    email: o.email,
    phone: o.phone,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    processedAt: o.processedAt,
    cancelledAt: o.cancelledAt,
    currency: o.currencyCode,
    poNumber: o.poNumber,
    note: o.note,
    tags: o.tags,
    financialStatus: o.displayFinancialStatus,
    fulfillmentStatus: o.displayFulfillmentStatus,
    attributes: Object.fromEntries(o.customAttributes.map((a) => [a.key, a.value])),
    subtotal: o.subtotalPriceSet?.shopMoney.amount ?? null,
    totalTax: o.totalTaxSet?.shopMoney.amount ?? null,
    totalShipping: o.totalShippingPriceSet.shopMoney.amount,
    total: o.totalPriceSet.shopMoney.amount,
    customer: o.customer
      ? { id: o.customer.id, email: o.customer.email, firstName: o.customer.firstName, lastName: o.customer.lastName }
      : null,
    company,
    shippingAddress: address(o.shippingAddress),
    billingAddress: address(o.billingAddress),
  };
  if (lineItems !== null) out.lineItems = lineItems.map(lineItemOutput);
  return out;
}

export const customerNodeSchema = z.object({
  id: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  phone: z.string().nullable(),
  note: z.string().nullable(),
  tags: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  email: z.string().nullable(),
});

export function customerOutput(c: z.infer<typeof customerNodeSchema>): JsonObject {
  return {
    id: c.id,
    email: c.email,
    firstName: c.firstName,
    lastName: c.lastName,
    phone: c.phone,
    note: c.note,
    tags: c.tags,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export const userErrorSchema = z.object({ field: z.array(z.string()).nullable().optional(), message: z.string(), code: z.string().nullable().optional() });
