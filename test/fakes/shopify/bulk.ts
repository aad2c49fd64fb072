import type { Obj } from './connection.ts';
import type { FakeShopifyContext } from './context.ts';
import type { BulkOperationRec } from './state.ts';

function isConnection(v: unknown): v is { edges?: Array<{ node: unknown }>; nodes?: unknown[] } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Obj;
  return Array.isArray(o.edges) || Array.isArray(o.nodes);
}

function nodesOf(c: { edges?: Array<{ node: unknown }>; nodes?: unknown[] }): unknown[] {
  return c.nodes ?? (c.edges ?? []).map((e) => e.node);
}

/**
 * Shopify's bulk JSONL layout (https://shopify.dev/docs/api/usage/bulk-operations/queries#the-jsonl-data-format):
 * one line per node; nodes of a nested connection follow on their own lines with `__parentId` and no nesting.
 */
export function flattenBulkResult(data: Obj): { lines: string[]; rootObjectCount: number } {
  const lines: string[] = [];
  let rootObjectCount = 0;
  const emit = (node: unknown, parentId: string | null): void => {
    if (typeof node !== 'object' || node === null) return;
    const line: Obj = {};
    const children: unknown[][] = [];
    for (const [k, val] of Object.entries(node as Obj)) {
      if (isConnection(val)) children.push(nodesOf(val));
      else line[k] = val;
    }
    if (parentId !== null) line.__parentId = parentId;
    lines.push(JSON.stringify(line));
    const id = typeof (node as Obj).id === 'string' ? ((node as Obj).id as string) : null;
    for (const list of children) for (const child of list) emit(child, id);
  };
  for (const root of Object.values(data)) {
    if (!isConnection(root)) continue;
    for (const node of nodesOf(root)) {
      rootObjectCount++;
      emit(node, null);
    }
  }
  return { lines, rootObjectCount };
}

/** Each status read moves a running operation on; after `bulkPollsToComplete` reads it is COMPLETED (or FAILED). */
export function advanceBulkOperation(ctx: FakeShopifyContext, op: BulkOperationRec): void {
  if (op.status !== 'CREATED' && op.status !== 'RUNNING') return;
  if (op.pollsLeft > 0) {
    op.pollsLeft--;
    op.status = 'RUNNING';
    return;
  }
  op.completedAt = ctx.nowIso();
  if (op.errorCode !== null) {
    op.status = 'FAILED';
    op.lines = [];
  } else op.status = 'COMPLETED';
}
