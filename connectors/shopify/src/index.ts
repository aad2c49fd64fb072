import { defineConnector, prop, type PropDefs, type ResolvedConnection } from '@tributary/connector-sdk';
import { addPriceListPrices } from './actions/add-price-list-prices.ts';
import { createFulfillment } from './actions/create-fulfillment.ts';
import { getOrder } from './actions/get-order.ts';
import { listOrders } from './actions/list-orders.ts';
import { runBulkQuery } from './actions/run-bulk-query.ts';
import { setInventoryQuantities } from './actions/set-inventory-quantities.ts';
import { updateVariantPrices } from './actions/update-variant-prices.ts';
import { upsertCompanyLocation } from './actions/upsert-company-location.ts';
import { upsertCompany } from './actions/upsert-company.ts';
import { upsertCustomer } from './actions/upsert-customer.ts';
import { DEFAULT_API_VERSION, shopifyAuth } from './auth.ts';
import { ordersUpdatedSince } from './triggers/orders-updated-since.ts';
import { webhookTriggers } from './triggers/webhooks.ts';

/**
 * Every Shopify node names the connection it uses (`config.connection`): the runtime resolves it for the
 * step, the webhook intake takes the HMAC secret from it, and validation flags a node without one.
 */
const connection = prop.connection({ label: 'Connection', connector: 'shopify', required: true, description: 'The Shopify store: domain, API version, access token and webhook secret' });

function withConnection<N extends { props: PropDefs; exampleProps?: Record<string, unknown> }>(node: N): N {
  return { ...node, props: { connection, ...node.props }, exampleProps: { connection: 'shopify-main', ...node.exampleProps } };
}

/**
 * Shopify Admin GraphQL API: orders, fulfillments, inventory, prices, customers, B2B companies, bulk
 * operations; HMAC-verified webhooks and an "orders updated since" poll.
 * @example
 * const registry = createRegistry([shopify]);
 * registry.get('shopify.getOrder');
 */
export const shopify = defineConnector({
  id: 'shopify',
  label: 'Shopify',
  description: 'Shopify Admin GraphQL API (version pinned per connection, default 2025-01): orders, fulfillments, inventory, prices, customers and B2B companies.',
  auth: shopifyAuth,
  docsUrl: 'https://shopify.dev/docs/api/admin-graphql',
  triggers: [...webhookTriggers, ordersUpdatedSince].map(withConnection),
  actions: [getOrder, listOrders, createFulfillment, setInventoryQuantities, updateVariantPrices, upsertCustomer, upsertCompany, upsertCompanyLocation, addPriceListPrices, runBulkQuery].map(withConnection),
});

export default shopify;

/**
 * A connection pointing at a fake Shopify (test/fakes/shopify) at `url`, with the fake's default token.
 * @example const conn = sampleConnectionConfig(fake.url);
 */
export function sampleConnectionConfig(
  url: string,
  o: { id?: string; accessToken?: string; webhookSecret?: string; apiVersion?: string } = {},
): ResolvedConnection {
  return {
    id: o.id ?? 'shopify-fake',
    name: 'Shopify (fake)',
    connector: 'shopify',
    config: { shopDomain: 'northwind.myshopify.com', baseUrl: url, apiVersion: o.apiVersion ?? DEFAULT_API_VERSION },
    secrets: { accessToken: o.accessToken ?? 'shpat_fake_admin_token', webhookSecret: o.webhookSecret ?? 'shopify-fake-webhook-secret' },
  };
}

export { DEFAULT_API_VERSION, shopifyAuth, shopifySettings } from './auth.ts';
export type { ShopifySettings } from './auth.ts';
export { MAX_THROTTLE_ATTEMPTS, shopifyClient } from './client.ts';
export type { ShopifyClient } from './client.ts';
export { graphqlErrorsToError, userErrorsToError } from './errors.ts';
export { DEFAULT_QUERY_COST_ESTIMATE, projectedAvailable, waitForCostMs } from './throttle.ts';
export {
  companyCreated,
  companyUpdated,
  customerCreated,
  customerUpdated,
  DEFAULT_MAX_AGE_MINUTES,
  inventoryLevelUpdated,
  orderCreated,
  orderUpdated,
  parseShopifyWebhook,
  productUpdated,
  WEBHOOK_TOPICS,
} from './triggers/webhooks.ts';
export { updatedSinceQuery } from './triggers/orders-updated-since.ts';
export { bulkOperationObjects } from './actions/run-bulk-query.ts';
export { addPriceListPrices, createFulfillment, getOrder, listOrders, ordersUpdatedSince, runBulkQuery, setInventoryQuantities, updateVariantPrices, upsertCompany, upsertCompanyLocation, upsertCustomer };
