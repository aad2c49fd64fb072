import { ConnectorError, defineAction, prop, type JsonObject } from '@tributary/connector-sdk';
import { z } from 'zod';
import { shopifyClient } from '../client.ts';
import { CUSTOMER_CREATE, CUSTOMER_UPDATE, CUSTOMERS_BY_QUERY } from '../graphql/customers.ts';
import { customerNodeSchema, customerOutput, userErrorSchema } from '../models.ts';
import { searchValue } from '../variant-resolver.ts';

const found = z.object({ customers: z.object({ nodes: z.array(customerNodeSchema) }) });
const createPayload = z.object({ customer: customerNodeSchema.nullable(), userErrors: z.array(userErrorSchema) });

export const upsertCustomer = defineAction({
  name: 'upsertCustomer',
  label: 'Create or update customer',
  description: 'Finds the customer by email and updates the given fields, or creates the customer (customerCreate / customerUpdate). Safe to repeat: the email is the key.',
  props: {
    email: prop.string({ label: 'Email', required: true }),
    firstName: prop.string({ label: 'First name' }),
    lastName: prop.string({ label: 'Last name' }),
    phone: prop.string({ label: 'Phone (E.164)', placeholder: '+15105550142' }),
    note: prop.text({ label: 'Note' }),
    tags: prop.array({ label: 'Tags', schema: z.array(z.string()) }),
  },
  write: true,
  idempotent: true,
  exampleProps: { email: 'purchasing@northwind-outfitters.example', firstName: 'Dana', lastName: 'Whitfield' },
  sampleOutput: {
    created: false,
    customer: { id: 'gid://shopify/Customer/7390114553916', email: 'purchasing@northwind-outfitters.example', firstName: 'Dana', lastName: 'Whitfield', phone: '+15105550142', note: null, tags: ['b2b'], createdAt: '2024-03-02T16:20:00Z', updatedAt: '2026-11-20T14:14:28Z' },
  },
  async run(ctx) {
    const client = shopifyClient(ctx);
    const email = ctx.props.email.trim();
    const { customers } = await client.query(CUSTOMERS_BY_QUERY, { query: `email:${searchValue(email)}` }, found);
    const matches = customers.nodes.filter((c) => c.email?.toLowerCase() === email.toLowerCase());
    if (matches.length > 1) throw new ConnectorError('CONFLICT', `more than one Shopify customer has the email ${email}`, { details: { email, ids: matches.map((c) => c.id) } });
    const input: JsonObject = { email };
    for (const k of ['firstName', 'lastName', 'phone', 'note'] as const) {
      const v = ctx.props[k];
      if (v !== undefined) input[k] = v;
    }
    if (ctx.props.tags !== undefined) input.tags = ctx.props.tags;
    const existing = matches[0];
    if (existing) {
      const res = await client.mutate(CUSTOMER_UPDATE, { input: { ...input, id: existing.id } }, 'customerUpdate', createPayload);
      return { created: false, customer: customerOutput(res.customer ?? existing) };
    }
    const res = await client.mutate(CUSTOMER_CREATE, { input }, 'customerCreate', createPayload);
    if (!res.customer) throw new ConnectorError('UPSTREAM_ERROR', 'Shopify created no customer and reported no error', { kind: 'internal', retryable: false });
    return { created: true, customer: customerOutput(res.customer) };
  },
});
