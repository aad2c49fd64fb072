import { ConnectorError, defineAction, isConnectorError, prop, type JsonObject } from '@tributary/connector-sdk';
import { businessCentralClient } from '../client.ts';
import { findCustomer } from '../customers.ts';
import { customerSchema, entityOutput } from '../models.ts';
import { SAMPLE_CUSTOMER } from '../samples.ts';
import { customerFieldsSchema } from './find-or-create-customer.ts';

const MAX_ATTEMPTS = 3;

export const updateCustomer = defineAction({
  name: 'updateCustomer',
  label: 'Update customer',
  description:
    'Changes a customer’s fields with PATCH and If-Match. With an ETag from an earlier read, a change made in BC since then fails as CONFLICT; without one the current ETag is read first. Fields that already hold the given values are not sent.',
  props: {
    number: prop.string({ label: 'Customer number', description: 'Or give the id' }),
    id: prop.string({ label: 'Customer id (GUID)' }),
    changes: prop.object({ label: 'Changes', required: true, description: '{ "phoneNumber": "+1 510-555-0100", "creditLimit": 75000 }', schema: customerFieldsSchema }),
    etag: prop.string({ label: 'ETag from an earlier read (optimistic concurrency)', advanced: true }),
  },
  write: true,
  idempotent: true,
  exampleProps: { number: 'C00010', changes: { phoneNumber: '+1 510-555-0100' } },
  sampleOutput: { changed: true, customer: SAMPLE_CUSTOMER },
  async run(ctx) {
    const client = businessCentralClient(ctx);
    const { id, number, changes, etag } = ctx.props;
    if (!id && !number) throw new ConnectorError('VALIDATION', 'give the customer number or id', { details: { fields: ['number', 'id'] } });
    const read = async () => {
      const c = id ? await client.get(`customers(${id})`, {}, customerSchema) : await findCustomer(client, { number });
      if (!c) throw new ConnectorError('NOT_FOUND', `Business Central has no customer ${id ?? number}`, { details: { id: id ?? null, number: number ?? null } });
      return c;
    };
    for (let attempt = 1; ; attempt++) {
      const current = await read();
      const patch: JsonObject = {};
      for (const [k, v] of Object.entries(changes)) if (v !== undefined && current[k] !== v) patch[k] = v;
      if (Object.keys(patch).length === 0) return { changed: false, customer: entityOutput(current) };
      try {
        const updated = await client.update(`customers(${current.id})`, etag ?? current['@odata.etag'], patch, customerSchema);
        return { changed: true, customer: entityOutput(updated) };
      } catch (err) {
        // Someone saved the customer between our read and write: read again, unless the caller pinned an ETag.
        if (!isConnectorError(err) || err.code !== 'CONFLICT' || etag !== undefined || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  },
});
