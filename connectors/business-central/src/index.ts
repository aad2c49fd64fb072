import { defineConnector, prop, type PropDefs, type ResolvedConnection } from '@tributary/connector-sdk';
import { createSalesOrder } from './actions/create-sales-order.ts';
import { findCustomer } from './actions/find-customer.ts';
import { findOrCreateCustomer } from './actions/find-or-create-customer.ts';
import { getSalesOrder } from './actions/get-sales-order.ts';
import { listItems } from './actions/list-items.ts';
import { listSalesShipments } from './actions/list-sales-shipments.ts';
import { updateCustomer } from './actions/update-customer.ts';
import { businessCentralAuth } from './auth.ts';
import { itemsChanged } from './triggers/items-changed.ts';
import { salesShipmentsCreated } from './triggers/sales-shipments-created.ts';

/**
 * Every Business Central node names the connection it uses (`config.connection`): the runtime resolves it
 * for the step (and the poll), and validation flags a node without one.
 */
const connection = prop.connection({ label: 'Connection', connector: 'business-central', required: true, description: 'The Business Central company: tenant, environment, company id and app credentials' });

function withConnection<N extends { props: PropDefs; exampleProps?: Record<string, unknown> }>(node: N): N {
  return { ...node, props: { connection, ...node.props }, exampleProps: { connection: 'business-central-main', ...node.exampleProps } };
}

/**
 * Dynamics 365 Business Central, API v2.0 (OData v4): customers, items with inventory, sales orders with lines,
 * posted sales shipments; polling triggers for changed items and new shipments.
 * @example
 * const registry = createRegistry([businessCentral]);
 * registry.get('business-central.createSalesOrder');
 */
export const businessCentral = defineConnector({
  id: 'business-central',
  label: 'Business Central',
  description: 'Microsoft Dynamics 365 Business Central API v2.0 (OData v4): customers, items and inventory, sales orders, sales shipments.',
  auth: businessCentralAuth,
  docsUrl: 'https://learn.microsoft.com/dynamics365/business-central/dev-itpro/api-reference/v2.0/',
  triggers: [itemsChanged, salesShipmentsCreated].map(withConnection),
  actions: [findCustomer, findOrCreateCustomer, updateCustomer, createSalesOrder, getSalesOrder, listItems, listSalesShipments].map(withConnection),
});

export default businessCentral;

/** The fake's defaults (test/fakes/business-central). */
const FAKE = {
  tenantId: 'northwind-tenant',
  environment: 'production',
  companyId: 'a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601',
  clientId: '11111111-2222-3333-4444-555555555555',
  clientSecret: 'fake-client-secret',
};

/**
 * A connection pointing both the token endpoint and the API at a fake Business Central served at `url`.
 * @example const conn = sampleConnectionConfig(fake.url);
 */
export function sampleConnectionConfig(url: string, o: Partial<typeof FAKE> & { id?: string; timeoutMs?: number } = {}): ResolvedConnection {
  const s = { ...FAKE, ...o };
  const base = url.replace(/\/+$/, '');
  return {
    id: o.id ?? 'business-central-fake',
    name: 'Business Central (fake)',
    connector: 'business-central',
    config: {
      tenantId: s.tenantId,
      environment: s.environment,
      companyId: s.companyId,
      tokenUrl: `${base}/${s.tenantId}/oauth2/v2.0/token`,
      apiBaseUrl: base,
      ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    },
    secrets: { clientId: s.clientId, clientSecret: s.clientSecret },
  };
}

export { API_VERSION, BC_RATE_LIMIT, BC_SCOPE, businessCentralAuth, businessCentralRequestAuth, businessCentralSettings } from './auth.ts';
export type { BusinessCentralSettings } from './auth.ts';
export { businessCentralClient } from './client.ts';
export type { BusinessCentralClient, ODataQuery } from './client.ts';
export { odataCodeOf, refineBcError } from './errors.ts';
export { and, odataDateTime, odataString } from './odata.ts';
export { readDelta } from './delta.ts';
export { salesOrderBody, salesOrderInput } from './actions/create-sales-order.ts';
export type { SalesOrderInput } from './actions/create-sales-order.ts';
export { createSalesOrder, findCustomer, findOrCreateCustomer, getSalesOrder, itemsChanged, listItems, listSalesShipments, salesShipmentsCreated, updateCustomer };
