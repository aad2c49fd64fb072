import { defineAction, prop } from '@tributary/connector-sdk';
import { businessCentralClient } from '../client.ts';
import { findCustomer as lookup } from '../customers.ts';
import { entityOutput } from '../models.ts';
import { SAMPLE_CUSTOMER } from '../samples.ts';

export const findCustomer = defineAction({
  name: 'findCustomer',
  label: 'Find customer',
  description: 'The customer with a number, or else with an email address; `found: false` when there is none.',
  props: {
    number: prop.string({ label: 'Customer number', placeholder: 'C00010' }),
    email: prop.string({ label: 'Email' }),
  },
  write: false,
  idempotent: true,
  exampleProps: { email: 'purchasing@northwind-outfitters.example' },
  sampleOutput: { found: true, customer: SAMPLE_CUSTOMER },
  async run(ctx) {
    const c = await lookup(businessCentralClient(ctx), { number: ctx.props.number, email: ctx.props.email });
    return c ? { found: true, customer: entityOutput(c) } : { found: false, customer: null };
  },
});
