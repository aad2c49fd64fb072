import { ConnectorError, defineAction, isConnectorError, prop, type JsonObject } from '@tributary/connector-sdk';
import { z } from 'zod';
import { businessCentralClient } from '../client.ts';
import { findCustomer } from '../customers.ts';
import { customerSchema, entityOutput } from '../models.ts';
import { SAMPLE_CUSTOMER } from '../samples.ts';

/** Customer properties a new customer may be created with (API v2.0 names). */
export const customerFieldsSchema = z
  .object({
    displayName: z.string().min(1).max(100),
    type: z.enum(['Company', 'Person']),
    addressLine1: z.string().max(100),
    addressLine2: z.string().max(50),
    city: z.string().max(30),
    state: z.string().max(30),
    country: z.string().max(10),
    postalCode: z.string().max(20),
    phoneNumber: z.string().max(30),
    email: z.string().max(80),
    website: z.string().max(80),
    creditLimit: z.number().nonnegative(),
    currencyCode: z.string().max(10),
    taxRegistrationNumber: z.string().max(20),
    blocked: z.enum([' ', 'Ship', 'Invoice', 'All']),
  })
  .partial()
  .strict();

export const findOrCreateCustomer = defineAction({
  name: 'findOrCreateCustomer',
  label: 'Find or create customer',
  description: 'Finds the customer by number or email; creates it with the given fields when there is none. Repeating it finds the customer it created.',
  props: {
    email: prop.string({ label: 'Email', description: 'The lookup key when no number is given' }),
    number: prop.string({ label: 'Customer number', description: 'Looked up first; also the new customer’s number (else BC’s number series picks one)' }),
    customer: prop.object({ label: 'New customer fields', description: '{ "displayName", "addressLine1", "city", "state", "country", "postalCode", "phoneNumber", "currencyCode" … }', schema: customerFieldsSchema }),
  },
  write: true,
  idempotent: true,
  exampleProps: { email: 'purchasing@northwind-outfitters.example', customer: { displayName: 'Northwind Outfitters LLC' } },
  sampleOutput: { created: false, customer: SAMPLE_CUSTOMER },
  async run(ctx) {
    const client = businessCentralClient(ctx);
    const { email, number } = ctx.props;
    const existing = await findCustomer(client, { number, email });
    if (existing) return { created: false, customer: entityOutput(existing) };
    const fields = ctx.props.customer ?? {};
    if (!fields.displayName) throw new ConnectorError('VALIDATION', 'no customer matches, and a new one needs customer.displayName', { details: { field: 'customer.displayName' } });
    const body: JsonObject = { ...fields };
    if (email && !fields.email) body.email = email;
    if (number) body.number = number;
    try {
      return { created: true, customer: entityOutput(await client.create('customers', body, customerSchema)) };
    } catch (err) {
      // The create may have committed before the answer was lost: look again before failing.
      if (isConnectorError(err) && (err.code === 'NETWORK' || err.code === 'TIMEOUT' || err.code === 'CONFLICT')) {
        const again = await findCustomer(client, { number, email });
        if (again) return { created: err.code !== 'CONFLICT', customer: entityOutput(again) };
      }
      throw err;
    }
  },
});
