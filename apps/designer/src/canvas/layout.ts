import dagre from '@dagrejs/dagre';
import type { FlowDocument, Position } from '@tributary/flow';
import type { Dimensions } from './flow-store.ts';

const DEFAULT_SIZE: Dimensions = { width: 220, height: 72 };

/**
 * Left-to-right layered layout (dagre). Returns positions for every node, top-left based as
 * React Flow expects; apply it with a `setLayout` edit so it is one undo step.
 */
export function autoLayout(doc: FlowDocument, measured: Readonly<Record<string, Dimensions>> = {}): Record<string, Position> {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of doc.nodes) {
    const size = measured[n.id] ?? DEFAULT_SIZE;
    g.setNode(n.id, { width: size.width, height: size.height });
  }
  for (const e of doc.edges) {
    if (g.hasNode(e.from) && g.hasNode(e.to)) g.setEdge(e.from, e.to, {}, e.port ?? 'out');
  }
  dagre.layout(g);
  const out: Record<string, Position> = {};
  for (const n of doc.nodes) {
    const laid = g.node(n.id);
    const size = measured[n.id] ?? DEFAULT_SIZE;
    out[n.id] = { x: Math.round(laid.x - size.width / 2), y: Math.round(laid.y - size.height / 2) };
  }
  return out;
}
