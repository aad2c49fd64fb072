import type { SeedConnection } from '../runtime/seed.ts';

/** What the example flows need to know about a Shopify store (the demo's and tests' fake, or a real one). */
export interface ShopifyEndpoint {
  url: string;
  shopDomain: string;
  accessToken: string;
}

/** What the example flows need to know about a Business Central company and its Entra ID app. */
export interface BusinessCentralEndpoint {
  url: string;
  tokenUrl: string;
  tenantId: string;
  environment: string;
  companyId: string;
  clientId: string;
  clientSecret: string;
}

/** The Shopify API version the examples are written against (the connector's pinned default). */
export const SHOPIFY_API_VERSION = '2025-01';

/**
 * The two connections the example flows name (`shopify-main`, `business-central-main`), pointing at
 * the given endpoints; `webhookSecret` is the key Shopify signs webhooks with.
 */
export function exampleConnections(o: { shopify: ShopifyEndpoint; businessCentral: BusinessCentralEndpoint; webhookSecret: string }): SeedConnection[] {
  const bc = o.businessCentral;
  return [
    {
      name: 'shopify-main',
      connector: 'shopify',
      config: { shopDomain: o.shopify.shopDomain, apiVersion: SHOPIFY_API_VERSION, baseUrl: o.shopify.url },
      secrets: { accessToken: o.shopify.accessToken, webhookSecret: o.webhookSecret },
    },
    {
      name: 'business-central-main',
      connector: 'business-central',
      config: { tenantId: bc.tenantId, environment: bc.environment, companyId: bc.companyId, tokenUrl: bc.tokenUrl, apiBaseUrl: bc.url },
      secrets: { clientId: bc.clientId, clientSecret: bc.clientSecret },
    },
  ];
}
