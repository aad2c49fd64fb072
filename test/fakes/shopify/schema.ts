import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The checkout root (…/work/main); shared fixtures live beside it in `../shared/fixtures`. */
export const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** The newest Admin API version whose official schema ships with the fixtures. */
export const SHOPIFY_SCHEMA_VERSION = '2025-01';

export const shopifySchemaPath = path.resolve(repoRoot, '../shared/fixtures/shopify/schema/admin_schema_2025-01.json.gz');

let cached: GraphQLSchema | undefined;

function isIntrospection(value: unknown): value is { data: IntrospectionQuery } {
  if (typeof value !== 'object' || value === null || !('data' in value)) return false;
  const data = (value as { data: unknown }).data;
  return typeof data === 'object' && data !== null && '__schema' in data;
}

/** The official Shopify Admin GraphQL schema (2025-01), built once per process from the introspection fixture. */
export function loadShopifyAdminSchema(): GraphQLSchema {
  if (cached) return cached;
  const parsed: unknown = JSON.parse(gunzipSync(readFileSync(shopifySchemaPath)).toString('utf8'));
  if (!isIntrospection(parsed)) throw new Error(`${shopifySchemaPath} is not an introspection result ({"data":{"__schema":…}})`);
  cached = buildClientSchema(parsed.data);
  return cached;
}
