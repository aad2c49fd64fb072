import { ConnectorError, defineAction, prop, retryLater, toJsonValue, type JsonValue } from '@tributary/connector-sdk';
import { z } from 'zod';
import { shopifyClient, type ShopifyClient } from '../client.ts';
import { BULK_OPERATION_BY_ID, BULK_OPERATION_RUN_QUERY, CURRENT_BULK_OPERATION } from '../graphql/bulk.ts';
import { userErrorSchema } from '../models.ts';

const opSchema = z.object({
  id: z.string(),
  status: z.enum(['CANCELED', 'CANCELING', 'COMPLETED', 'CREATED', 'EXPIRED', 'FAILED', 'RUNNING']),
  errorCode: z.string().nullable(),
  query: z.string(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  objectCount: z.string(),
  rootObjectCount: z.string(),
  url: z.string().nullable(),
  partialDataUrl: z.string().nullable(),
});
type BulkOperation = z.infer<typeof opSchema>;

const current = z.object({ currentBulkOperation: opSchema.nullable() });
const byId = z.object({ node: opSchema.nullable() });
const runPayload = z.object({ bulkOperation: opSchema.nullable(), userErrors: z.array(userErrorSchema) });

const sameQuery = (a: string, b: string): boolean => a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();

/**
 * Every object of a bulk operation's JSONL result, one line at a time. Nested connections come as their own
 * lines with `__parentId` (https://shopify.dev/docs/api/usage/bulk-operations/queries).
 */
export async function* bulkOperationObjects(client: ShopifyClient, op: BulkOperation): AsyncGenerator<unknown, void, undefined> {
  if (op.url === null) return;
  yield* client.jsonLines(op.url);
}

async function waitForCompletion(opts: { client: ShopifyClient; op: BulkOperation; pollMs: number; deadline: number; now(): number; sleep(ms: number): Promise<void> }): Promise<BulkOperation> {
  let op = opts.op;
  while (op.status === 'CREATED' || op.status === 'RUNNING' || op.status === 'CANCELING') {
    if (opts.now() >= opts.deadline) {
      throw new ConnectorError('TIMEOUT', `bulk operation ${op.id} was still ${op.status} when the step’s wait ran out`, { details: { bulkOperationId: op.id, status: op.status } });
    }
    await opts.sleep(opts.pollMs);
    const r = await opts.client.query(BULK_OPERATION_BY_ID, { id: op.id }, byId);
    if (!r.node) throw new ConnectorError('NOT_FOUND', `bulk operation ${op.id} disappeared`, { details: { bulkOperationId: op.id } });
    op = r.node;
  }
  return op;
}

export const runBulkQuery = defineAction({
  name: 'runBulkQuery',
  label: 'Run bulk query',
  description:
    'Runs a GraphQL query as a Shopify bulk operation (bulkOperationRunQuery), waits until it completes, then streams the JSONL result and returns the objects or just their count. A step retried while its operation is still running picks that operation up instead of starting another.',
  props: {
    query: prop.text({ label: 'Bulk query', required: true, placeholder: '{ products { edges { node { id variants { edges { node { id sku inventoryQuantity } } } } } } }' }),
    output: prop.select({ label: 'Return', default: 'items', options: [{ value: 'items', label: 'the objects' }, { value: 'count', label: 'only how many there are' }] }),
    maxItems: prop.integer({ label: 'At most (objects returned)', default: 10_000, min: 1, max: 100_000 }),
    pollIntervalSeconds: prop.integer({ label: 'Check every (seconds)', default: 5, min: 1, max: 300, advanced: true }),
    timeoutMinutes: prop.integer({ label: 'Give up after (minutes)', default: 60, min: 1, max: 1440, advanced: true }),
  },
  write: false,
  idempotent: true,
  exampleProps: { query: '{ products { edges { node { id title } } } }', output: 'count' },
  sampleOutput: { bulkOperationId: 'gid://shopify/BulkOperation/720918', status: 'COMPLETED', count: 2, truncated: false, items: [{ id: 'gid://shopify/Product/8801123450940', title: 'Trail Runner 2' }, { id: 'gid://shopify/ProductVariant/47120033513788', sku: 'TR2-SLT-10', __parentId: 'gid://shopify/Product/8801123450940' }] },
  async run(ctx) {
    const client = shopifyClient(ctx);
    const { query, output, maxItems } = ctx.props;
    const running = (await client.query(CURRENT_BULK_OPERATION, {}, current)).currentBulkOperation;
    let op: BulkOperation;
    if (running && (running.status === 'CREATED' || running.status === 'RUNNING')) {
      // Shopify runs one bulk query per shop and app at a time.
      if (!sameQuery(running.query, query)) throw retryLater(60_000, `another bulk query (${running.id}) is running in this shop`, { bulkOperationId: running.id });
      op = running;
    } else {
      const res = await client.mutate(BULK_OPERATION_RUN_QUERY, { query }, 'bulkOperationRunQuery', runPayload);
      if (!res.bulkOperation) throw new ConnectorError('UPSTREAM_ERROR', 'Shopify started no bulk operation and reported no error', { kind: 'internal', retryable: false });
      op = res.bulkOperation;
    }
    op = await waitForCompletion({
      client,
      op,
      pollMs: ctx.props.pollIntervalSeconds * 1000,
      deadline: ctx.now() + ctx.props.timeoutMinutes * 60_000,
      now: ctx.now,
      sleep: (ms) => ctx.sleep(ms, ctx.signal),
    });
    if (op.status !== 'COMPLETED') {
      const details = { bulkOperationId: op.id, status: op.status, errorCode: op.errorCode };
      if (op.errorCode === 'ACCESS_DENIED') throw new ConnectorError('AUTH_FORBIDDEN', `bulk operation ${op.id} failed: the app may not read everything the query asks for`, { details });
      throw new ConnectorError('UPSTREAM_UNAVAILABLE', `bulk operation ${op.id} ended ${op.status}${op.errorCode ? ` (${op.errorCode})` : ''}`, { details });
    }
    let count = 0;
    const items: JsonValue[] = [];
    for await (const obj of bulkOperationObjects(client, op)) {
      count++;
      if (output === 'items' && items.length < maxItems) items.push(toJsonValue(obj));
    }
    const result = { bulkOperationId: op.id, status: op.status, count, truncated: output === 'items' && count > maxItems };
    return output === 'items' ? { ...result, items } : result;
  },
});
