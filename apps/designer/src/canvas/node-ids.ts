import type { FlowEdge } from '@tributary/flow';

/**
 * Readable node ids. A connector action keeps its own name (`erp.createSalesOrder` → `createSalesOrder`,
 * then `createSalesOrder2`…); a one-word generic node is numbered from 1 (`core.map` → `map1`, `map2`…),
 * because "map" alone says nothing about which map it is.
 */
export function readableNodeId(type: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const raw = type.includes('.') ? type.slice(type.indexOf('.') + 1) : type;
  const base = sanitizeIdBase(raw);
  const generic = /^[a-z]+$/.test(base);
  if (!generic && !used.has(base)) return base;
  return nextFreeId(base, used, generic ? 1 : 2);
}

/** A fresh id for a copy of `id`: same stem, next free number (`map1` → `map2`, `createSO` → `createSO2`). */
export function copyNodeId(id: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(id)) return id;
  const stem = id.replace(/\d+$/, '') || 'node';
  return nextFreeId(stem, used, 2);
}

function nextFreeId(stem: string, used: ReadonlySet<string>, start: number): string {
  for (let n = start; ; n++) {
    const candidate = `${stem}${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** Node ids must start with a letter or `_` and hold only letters, digits, `_` and `-` (packages/flow's nodeIdSchema). */
export function sanitizeIdBase(raw: string): string {
  let s = raw.replace(/[^A-Za-z0-9_-]/g, '');
  if (!/^[A-Za-z_]/.test(s)) s = `n${s}`;
  return s.slice(0, 56);
}

export function isValidNodeId(id: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(id) && id.length <= 64;
}

/** The canvas edge id of a flow edge; stable so React Flow keeps its selection across re-derivations. */
export function edgeId(edge: FlowEdge): string {
  return `${edge.from}:${edge.port ?? 'out'}->${edge.to}`;
}
