import { ConnectorError, defineAction, prop, type JsonObject } from '@tributary/connector-sdk';
import { z } from 'zod';
import { shopifyClient } from '../client.ts';
import { companyAddressInput, companyNodeSchema, companyOutput } from '../company-models.ts';
import { COMPANIES_BY_QUERY, COMPANY_ASSIGN_CUSTOMER_AS_CONTACT, COMPANY_CREATE, COMPANY_UPDATE } from '../graphql/companies.ts';
import { CUSTOMERS_BY_QUERY } from '../graphql/customers.ts';
import { customerNodeSchema, userErrorSchema } from '../models.ts';
import { searchValue } from '../variant-resolver.ts';

const locationInput = z.object({
  name: z.string().min(1),
  externalId: z.string().min(1).optional(),
  phone: z.string().optional(),
  shippingAddress: companyAddressInput.optional(),
  billingAddress: companyAddressInput.optional(),
  billingSameAsShipping: z.boolean().optional(),
});

const contactInput = z.object({ email: z.string().min(3), firstName: z.string().optional(), lastName: z.string().optional(), title: z.string().optional() });

const found = z.object({ companies: z.object({ nodes: z.array(companyNodeSchema) }) });
const payload = z.object({ company: companyNodeSchema.nullable(), userErrors: z.array(userErrorSchema) });
const customers = z.object({ customers: z.object({ nodes: z.array(customerNodeSchema) }) });
const assignPayload = z.object({ companyContact: z.object({ id: z.string() }).nullable(), userErrors: z.array(userErrorSchema) });

export const upsertCompany = defineAction({
  name: 'upsertCompany',
  label: 'Create or update B2B company',
  description:
    'Finds the B2B company by external id (the ERP customer number) and updates its name and note, or creates it with its first location and main contact (companyCreate / companyUpdate). Safe to repeat.',
  props: {
    externalId: prop.string({ label: 'External id (ERP customer no.)', required: true }),
    name: prop.string({ label: 'Company name', required: true }),
    note: prop.text({ label: 'Note' }),
    location: prop.object({ label: 'First location (on create)', description: '{ "name", "externalId", "phone", "shippingAddress": { "address1", "city", "zip", "zoneCode", "countryCode" }, "billingSameAsShipping": true }', schema: locationInput }),
    contact: prop.object({ label: 'Main contact (on create)', description: '{ "email", "firstName", "lastName", "title" }; an existing customer with that email becomes the contact', schema: contactInput }),
  },
  write: true,
  idempotent: true,
  exampleProps: { externalId: 'C00042', name: 'Northwind Outfitters LLC' },
  sampleOutput: {
    created: true,
    company: { id: 'gid://shopify/Company/98304561', name: 'Northwind Outfitters LLC', externalId: 'C00042', note: null, createdAt: '2026-11-22T16:00:00Z', updatedAt: '2026-11-22T16:00:00Z', mainContactId: null, mainContactCustomerId: null, locations: [{ id: 'gid://shopify/CompanyLocation/11223344', name: 'Warehouse 2', externalId: 'C00042-W2' }] },
  },
  async run(ctx) {
    const client = shopifyClient(ctx);
    const { externalId, name, note, location, contact } = ctx.props;
    const { companies } = await client.query(COMPANIES_BY_QUERY, { query: `external_id:${searchValue(externalId)}` }, found);
    const matches = companies.nodes.filter((c) => c.externalId === externalId);
    if (matches.length > 1) throw new ConnectorError('CONFLICT', `more than one Shopify company has external id ${externalId}`, { details: { externalId, ids: matches.map((c) => c.id) } });
    const existing = matches[0];
    if (existing) {
      const input: JsonObject = { name };
      if (note !== undefined) input.note = note;
      const res = await client.mutate(COMPANY_UPDATE, { companyId: existing.id, input }, 'companyUpdate', payload);
      return { created: false, company: companyOutput(res.company ?? existing) };
    }

    // companyCreate makes a new customer for the contact; an existing customer is assigned afterwards instead.
    let existingCustomerId: string | null = null;
    if (contact) {
      const r = await client.query(CUSTOMERS_BY_QUERY, { query: `email:${searchValue(contact.email)}` }, customers);
      existingCustomerId = r.customers.nodes.find((c) => c.email?.toLowerCase() === contact.email.toLowerCase())?.id ?? null;
    }
    const input: JsonObject = { company: { name, externalId, ...(note !== undefined ? { note } : {}) } };
    if (location) input.companyLocation = location;
    if (contact && existingCustomerId === null) input.companyContact = contact;
    const res = await client.mutate(COMPANY_CREATE, { input }, 'companyCreate', payload);
    if (!res.company) throw new ConnectorError('UPSTREAM_ERROR', 'Shopify created no company and reported no error', { kind: 'internal', retryable: false });
    if (existingCustomerId !== null) {
      await client.mutate(COMPANY_ASSIGN_CUSTOMER_AS_CONTACT, { companyId: res.company.id, customerId: existingCustomerId }, 'companyAssignCustomerAsContact', assignPayload);
      const again = await client.query(COMPANIES_BY_QUERY, { query: `external_id:${searchValue(externalId)}` }, found);
      const company = again.companies.nodes.find((c) => c.id === res.company?.id) ?? res.company;
      return { created: true, company: companyOutput(company) };
    }
    return { created: true, company: companyOutput(res.company) };
  },
});
