import { ConnectorError } from '@tributary/connector-sdk';
import type { z } from 'zod';
import type { BusinessCentralClient } from './client.ts';
import { customerSchema } from './models.ts';
import { odataString } from './odata.ts';

export type Customer = z.infer<typeof customerSchema>;

/**
 * The customer with this number, else with this email (BC compares text case-insensitively);
 * more than one customer with the email is a CONFLICT the user must resolve in BC.
 */
export async function findCustomer(client: BusinessCentralClient, by: { number?: string | undefined; email?: string | undefined }): Promise<Customer | null> {
  if (!by.number && !by.email) throw new ConnectorError('VALIDATION', 'give the customer number or email to look the customer up', { details: { fields: ['number', 'email'] } });
  const $filter = by.number ? `number eq ${odataString(by.number)}` : `email eq ${odataString(by.email!.trim())}`;
  const found: Customer[] = [];
  for await (const c of client.list('customers', { $filter, $top: 2 }, customerSchema)) found.push(c);
  if (found.length > 1) {
    throw new ConnectorError('CONFLICT', `more than one Business Central customer has the email ${by.email}`, { details: { email: by.email, numbers: found.map((c) => c.number) } });
  }
  return found[0] ?? null;
}
