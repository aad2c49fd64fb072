import type { GraphQLSchema } from 'graphql';
import type { BulkOperationRec, ShopState } from './state.ts';

/** What every resolver of the fake sees (graphql-js `contextValue`). */
export interface FakeShopifyContext {
  schema: GraphQLSchema;
  state: ShopState;
  /** The fake's clock as Shopify formats timestamps (`2025-01-15T10:00:00Z`). */
  nowIso(): string;
  /** The next GID for a resource type, e.g. `gid://shopify/Order/1003`. */
  nextId(type: string): string;
  /** Where the fake listens; bulk operation result URLs point here. */
  baseUrl: string;
  /** True while a bulk operation's query runs: connections then need no first/last. */
  bulk: boolean;
  bulkPollsToComplete: number;
  /** Set by `failNext({ kind: 'bulk' })`: the next bulk operation ends FAILED with this code. */
  bulkFailure: { errorCode: NonNullable<BulkOperationRec['errorCode']> } | null;
}

export function shopifyTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function numericId(gid: string): string {
  return gid.slice(gid.lastIndexOf('/') + 1).split('?')[0]!;
}

export function money(amount: number | string): string {
  const n = typeof amount === 'number' ? amount : Number(amount);
  return n.toFixed(2);
}
