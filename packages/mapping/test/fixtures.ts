import order from './fixtures/shopify-orders-create.json' with { type: 'json' };
import expectedSalesOrder from './fixtures/shopify-order-to-erp-sales-order.expected.json' with { type: 'json' };
import salesOrderMapping from './fixtures/shopify-order-to-erp-sales-order.jsonata?raw';

/** Copies of /work/shared/fixtures: the Shopify B2B order, the reference mapping and its expected result. */
export { expectedSalesOrder, order as shopifyOrder, salesOrderMapping };
