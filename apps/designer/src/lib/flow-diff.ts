import type { FlowDocument, FlowEdge, FlowNode } from '@tributary/flow';

export interface NodeChange {
  id: string;
  kind: 'added' | 'removed' | 'changed';
  /** For changed nodes: which top-level fields differ (`type`, `config.order`, `retry`…). */
  fields: string[];
}

export interface FlowDiff {
  nodes: NodeChange[];
  edgesAdded: FlowEdge[];
  edgesRemoved: FlowEdge[];
  /** Other document fields that differ: name, trigger, settings, description. */
  meta: string[];
}

const edgeKey = (e: FlowEdge) => `${e.from}:${e.port ?? 'out'}->${e.to}`;
const same = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

function changedFields(a: FlowNode, b: FlowNode): string[] {
  const out: string[] = [];
  for (const key of ['type', 'name', 'description', 'retry', 'onError', 'limits', 'disabled'] as const) if (!same(a[key], b[key])) out.push(key);
  const keys = new Set([...Object.keys(a.config), ...Object.keys(b.config)]);
  for (const k of [...keys].sort()) if (!same(a.config[k], b.config[k])) out.push(`config.${k}`);
  return out;
}

/** What changed between two versions of a flow, node by node (layout is ignored: it changes no behaviour). */
export function flowDiff(before: FlowDocument, after: FlowDocument): FlowDiff {
  const oldNodes = new Map(before.nodes.map((n) => [n.id, n]));
  const newNodes = new Map(after.nodes.map((n) => [n.id, n]));
  const nodes: NodeChange[] = [];
  for (const n of after.nodes) {
    const old = oldNodes.get(n.id);
    if (!old) nodes.push({ id: n.id, kind: 'added', fields: [] });
    else {
      const fields = changedFields(old, n);
      if (fields.length) nodes.push({ id: n.id, kind: 'changed', fields });
    }
  }
  for (const n of before.nodes) if (!newNodes.has(n.id)) nodes.push({ id: n.id, kind: 'removed', fields: [] });
  const oldEdges = new Set(before.edges.map(edgeKey));
  const newEdges = new Set(after.edges.map(edgeKey));
  const meta: string[] = [];
  for (const key of ['name', 'description', 'trigger', 'settings'] as const) if (!same(before[key], after[key])) meta.push(key);
  return {
    nodes,
    edgesAdded: after.edges.filter((e) => !oldEdges.has(edgeKey(e))),
    edgesRemoved: before.edges.filter((e) => !newEdges.has(edgeKey(e))),
    meta,
  };
}
