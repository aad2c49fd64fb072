import { sha256, toBase64 } from './digest.ts';

export interface IdempotencyParts {
  flowId: string;
  /** The system written to, e.g. `erp`. */
  target: string;
  /** What is written, e.g. `salesOrder`. */
  entity: string;
  /** The id of the record in the source system the write comes from. */
  sourceId: string | number;
  /** The source record's version (updated_at, revision) — a new version is a new write. */
  version: string | number;
}

/**
 * A stable key for one write: the same parts always give the same key, so a retry or a replay of
 * the same source record never creates a second record, while a new version of it does.
 * The parts are length-prefixed before hashing so `("a:b", "c")` and `("a", "b:c")` never collide.
 * @example
 * idempotencyKey({ flowId: 'flw_orders', target: 'erp', entity: 'salesOrder', sourceId: 7390114553916, version: '2024-05-01T10:00:00Z' })
 * // => 'idk_5d1c…' (43 url-safe characters after the prefix)
 */
export function idempotencyKey(parts: IdempotencyParts): string {
  const fields = [parts.flowId, parts.target, parts.entity, String(parts.sourceId), String(parts.version)];
  return `idk_${toBase64(sha256(fields.map((f) => `${f.length}:${f}|`).join('')), { url: true })}`;
}
