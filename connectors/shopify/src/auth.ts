import { auth, ConnectorError, prop, type AuthSpec, type ResolvedConnection } from '@tributary/connector-sdk';
import { z } from 'zod';

/** The newest Admin API version whose official schema ships with Tributary (the schema test validates against it). */
export const DEFAULT_API_VERSION = '2025-01';

const base = auth.apiToken({
  header: 'X-Shopify-Access-Token',
  prefix: '',
  secret: 'accessToken',
  tokenLabel: 'Admin API access token',
  props: {
    shopDomain: prop.string({ label: 'Shop domain', placeholder: 'northwind.myshopify.com', description: 'The permanent *.myshopify.com domain of the store.' }),
    apiVersion: prop.string({ label: 'Admin API version', default: DEFAULT_API_VERSION, description: 'Pinned per connection; the connector is tested against 2025-01.' }),
    baseUrl: prop.string({ label: 'Base URL override', advanced: true, description: 'Replaces https://<shop domain> (tests and the demo point this at the fake Shopify).' }),
  },
});

/**
 * Admin API access token in `X-Shopify-Access-Token` (custom app or OAuth offline token), plus the app's client
 * secret that signs webhooks (`X-Shopify-Hmac-Sha256`).
 */
export const shopifyAuth: AuthSpec = {
  ...base,
  secrets: {
    ...base.secrets,
    webhookSecret: prop.string({ label: 'Webhook signing secret (app client secret)', description: 'Verifies X-Shopify-Hmac-Sha256 on incoming webhooks.' }),
  },
};

const configSchema = z
  .object({
    shopDomain: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i, 'must be the store’s *.myshopify.com domain')
      .optional(),
    apiVersion: z
      .string()
      .regex(/^(\d{4}-(01|04|07|10)|unstable)$/, 'must look like 2025-01')
      .default(DEFAULT_API_VERSION),
    baseUrl: z.url().optional(),
  })
  .refine((c) => c.shopDomain !== undefined || c.baseUrl !== undefined, { message: 'set the shop domain (or a base URL override)', path: ['shopDomain'] });

export interface ShopifySettings {
  /** `https://<shop>/admin/api/<version>/` (ends with a slash; `graphql.json` is relative to it). */
  adminUrl: string;
  apiVersion: string;
  shopDomain: string | null;
}

function clean(v: unknown): unknown {
  return v === '' || v === null ? undefined : v;
}

/** Reads the connection's non-secret settings, reporting every problem with its field. */
export function shopifySettings(connection: ResolvedConnection | null): ShopifySettings {
  if (connection === null) throw new ConnectorError('CONNECTION_MISSING', 'this Shopify step needs a connection, but none is selected');
  const c = connection.config;
  const parsed = configSchema.safeParse({ shopDomain: clean(c.shopDomain), apiVersion: clean(c.apiVersion), baseUrl: clean(c.baseUrl) });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new ConnectorError('CONFIG_INVALID', `Shopify connection "${connection.name}": ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { details: { issues } });
  }
  const { shopDomain, apiVersion, baseUrl } = parsed.data;
  const origin = (baseUrl ?? `https://${shopDomain}`).replace(/\/+$/, '');
  return { adminUrl: `${origin}/admin/api/${apiVersion}/`, apiVersion, shopDomain: shopDomain ?? null };
}
