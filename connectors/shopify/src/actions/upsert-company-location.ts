import { ConnectorError, defineAction, prop, type JsonObject } from '@tributary/connector-sdk';
import { z } from 'zod';
import { shopifyClient } from '../client.ts';
import { companyAddressInput, companyLocationNodeSchema, companyLocationOutput } from '../company-models.ts';
import { COMPANY_LOCATION_CREATE, COMPANY_LOCATION_UPDATE, COMPANY_LOCATIONS_BY_QUERY } from '../graphql/companies.ts';
import { toGid, userErrorSchema } from '../models.ts';
import { searchValue } from '../variant-resolver.ts';

const found = z.object({ companyLocations: z.object({ nodes: z.array(companyLocationNodeSchema) }) });
const createPayload = z.object({ companyLocation: companyLocationNodeSchema.nullable(), userErrors: z.array(userErrorSchema) });

export const upsertCompanyLocation = defineAction({
  name: 'upsertCompanyLocation',
  label: 'Create or update B2B company location',
  description:
    'Finds a company location by external id (e.g. the ERP ship-to code) and updates its name, phone and note, or creates it with its addresses (companyLocationCreate / companyLocationUpdate). Addresses of an existing location are left as they are.',
  props: {
    companyId: prop.id({ label: 'Company id', required: true, description: 'gid://shopify/Company/…' }),
    externalId: prop.string({ label: 'External id (ERP ship-to code)', required: true }),
    name: prop.string({ label: 'Location name', required: true }),
    phone: prop.string({ label: 'Phone' }),
    note: prop.text({ label: 'Note' }),
    shippingAddress: prop.object({ label: 'Shipping address (on create)', schema: companyAddressInput }),
    billingAddress: prop.object({ label: 'Billing address (on create)', schema: companyAddressInput }),
    billingSameAsShipping: prop.boolean({ label: 'Billing same as shipping', default: true }),
  },
  write: true,
  idempotent: true,
  exampleProps: { companyId: 'gid://shopify/Company/98304561', externalId: 'C00042-W2', name: 'Warehouse 2' },
  sampleOutput: {
    created: true,
    location: { id: 'gid://shopify/CompanyLocation/11223344', companyId: 'gid://shopify/Company/98304561', name: 'Warehouse 2', externalId: 'C00042-W2', phone: null, note: null, createdAt: '2026-11-22T16:00:00Z', updatedAt: '2026-11-22T16:00:00Z', shippingAddress: null, billingAddress: null },
  },
  async run(ctx) {
    const client = shopifyClient(ctx);
    const companyId = toGid('Company', ctx.props.companyId);
    const { externalId, name, phone, note } = ctx.props;
    const { companyLocations } = await client.query(COMPANY_LOCATIONS_BY_QUERY, { query: `external_id:${searchValue(externalId)}` }, found);
    const existing = companyLocations.nodes.find((l) => l.externalId === externalId);
    if (existing && existing.company.id !== companyId) {
      throw new ConnectorError('CONFLICT', `location external id ${externalId} already belongs to company ${existing.company.id}`, { details: { externalId, companyId: existing.company.id } });
    }
    const input: JsonObject = { name, externalId };
    if (phone !== undefined) input.phone = phone;
    if (note !== undefined) input.note = note;
    if (existing) {
      const res = await client.mutate(COMPANY_LOCATION_UPDATE, { companyLocationId: existing.id, input }, 'companyLocationUpdate', createPayload);
      return { created: false, location: companyLocationOutput(res.companyLocation ?? existing) };
    }
    if (ctx.props.shippingAddress) input.shippingAddress = ctx.props.shippingAddress;
    if (ctx.props.billingAddress) input.billingAddress = ctx.props.billingAddress;
    else if (ctx.props.shippingAddress) input.billingSameAsShipping = ctx.props.billingSameAsShipping;
    const res = await client.mutate(COMPANY_LOCATION_CREATE, { companyId, input }, 'companyLocationCreate', createPayload);
    if (!res.companyLocation) throw new ConnectorError('UPSTREAM_ERROR', 'Shopify created no company location and reported no error', { kind: 'internal', retryable: false });
    return { created: true, location: companyLocationOutput(res.companyLocation) };
  },
});
