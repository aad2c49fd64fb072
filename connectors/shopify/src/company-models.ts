import { type JsonObject } from '@tributary/connector-sdk';
import { z } from 'zod';

/** Shapes shared by the B2B company actions. */

export const companyAddressInput = z.object({
  address1: z.string().min(1),
  address2: z.string().optional(),
  city: z.string().optional(),
  zip: z.string().optional(),
  zoneCode: z.string().optional(),
  countryCode: z.string().length(2),
  recipient: z.string().optional(),
  phone: z.string().optional(),
});

export const companyNodeSchema = z.object({
  id: z.string(),
  name: z.string(),
  externalId: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  mainContact: z.object({ id: z.string(), customer: z.object({ id: z.string() }) }).nullable(),
  locations: z.object({ nodes: z.array(z.object({ id: z.string(), name: z.string(), externalId: z.string().nullable() })) }),
});

const addressOut = z.object({ address1: z.string(), address2: z.string().nullable(), city: z.string().nullable(), zip: z.string().nullable(), zoneCode: z.string().nullable(), countryCode: z.string(), recipient: z.string().nullable() }).nullable();

export const companyLocationNodeSchema = z.object({
  id: z.string(),
  name: z.string(),
  externalId: z.string().nullable(),
  phone: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  company: z.object({ id: z.string() }),
  shippingAddress: addressOut,
  billingAddress: addressOut,
});

export function companyOutput(c: z.infer<typeof companyNodeSchema>): JsonObject {
  return {
    id: c.id,
    name: c.name,
    externalId: c.externalId,
    note: c.note,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    mainContactId: c.mainContact?.id ?? null,
    mainContactCustomerId: c.mainContact?.customer.id ?? null,
    locations: c.locations.nodes,
  };
}

export function companyLocationOutput(l: z.infer<typeof companyLocationNodeSchema>): JsonObject {
  return { id: l.id, companyId: l.company.id, name: l.name, externalId: l.externalId, phone: l.phone, note: l.note, createdAt: l.createdAt, updatedAt: l.updatedAt, shippingAddress: l.shippingAddress, billingAddress: l.billingAddress };
}
