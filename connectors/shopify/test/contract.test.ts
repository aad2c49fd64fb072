import { connectorContract } from '@tributary/connector-sdk/testing';
import { startFakeShopify } from '../../../test/fakes/shopify/index.ts';
import { sampleConnectionConfig, shopify } from '../src/index.ts';

connectorContract(shopify, {
  fakeServer: async () => {
    const fake = await startFakeShopify();
    for (let i = 0; i < 5; i++) fake.seed.order({ customerId: fake.northwind!.customer.id, lineItems: [{ sku: 'MCS3-CHR', quantity: i + 1 }] });
    return fake.contractServer();
  },
  connectionFor: (url) => sampleConnectionConfig(url),
  probe: { action: 'listOrders', props: { connection: 'shopify-main', maxItems: 10 } },
  pagination: { action: 'listOrders', props: { connection: 'shopify-main', pageSize: 2, maxItems: 100 }, expectedItems: 5, expectedRequests: 3, items: (out) => (out as { orders: unknown[] }).orders },
  expectedRequests: [{ method: 'POST', path: /^\/admin\/api\/\d{4}-\d{2}\/graphql\.json$/ }],
});
