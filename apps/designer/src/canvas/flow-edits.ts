import { DEFAULT_PORT, ERROR_PORT } from '@tributary/flow';
import type { FlowDocument, FlowEdge, FlowNode, FlowSettings, Position } from '@tributary/flow';
import { copyNodeId, edgeId } from './node-ids.ts';

/**
 * Every change the designer makes to a flow is one of these plain-data edits, applied by `applyEdit`.
 * The canvas, the config panel and keyboard shortcuts all go through it, so undo/redo, validation
 * and saving see one vocabulary (React Flow's NodeChange idea, for our own document).
 */
export type FlowEdit =
  | { type: 'addNode'; node: FlowNode; position: Position }
  | { type: 'removeElements'; nodeIds: string[]; edgeIds: string[] }
  | { type: 'connect'; edge: FlowEdge }
  | { type: 'move'; positions: Record<string, Position> }
  | { type: 'setLayout'; layout: Record<string, Position> }
  | { type: 'updateNode'; nodeId: string; patch: NodePatch }
  | { type: 'setConfig'; nodeId: string; key: string; value: unknown }
  | { type: 'renameNode'; from: string; to: string }
  | { type: 'paste'; nodes: FlowNode[]; edges: FlowEdge[]; layout: Record<string, Position> }
  | { type: 'setMeta'; name?: string; description?: string; settings?: Partial<FlowSettings> }
  | { type: 'setTrigger'; nodeId: string };

/** Node fields besides id/type/config; `undefined` removes the field. */
export type NodePatch = {
  name?: string | undefined;
  description?: string | undefined;
  retry?: FlowNode['retry'] | undefined;
  onError?: FlowNode['onError'] | undefined;
  limits?: FlowNode['limits'] | undefined;
  disabled?: boolean | undefined;
};

/** A copied selection: nodes, the edges between them, and their positions. */
export interface ClipboardData {
  nodes: FlowNode[];
  edges: FlowEdge[];
  layout: Record<string, Position>;
}

/** Applies one edit; returns the same object when the edit changes nothing (so history can skip it). */
export function applyEdit(doc: FlowDocument, edit: FlowEdit): FlowDocument {
  switch (edit.type) {
    case 'addNode': {
      if (doc.nodes.some((n) => n.id === edit.node.id)) return doc;
      const next = { ...doc, nodes: [...doc.nodes, edit.node], layout: { ...doc.layout, [edit.node.id]: roundPos(edit.position) } };
      return next;
    }
    case 'removeElements': {
      const nodeIds = new Set(edit.nodeIds);
      const edgeIds = new Set(edit.edgeIds);
      const nodes = doc.nodes.filter((n) => !nodeIds.has(n.id));
      const edges = doc.edges.filter((e) => !nodeIds.has(e.from) && !nodeIds.has(e.to) && !edgeIds.has(edgeId(e)));
      if (nodes.length === doc.nodes.length && edges.length === doc.edges.length) return doc;
      const layout = Object.fromEntries(Object.entries(doc.layout).filter(([id]) => !nodeIds.has(id)));
      return { ...doc, nodes, edges, layout };
    }
    case 'connect': {
      const e = normaliseEdge(edit.edge);
      if (e.from === e.to) return doc;
      if (!hasNode(doc, e.from) || !hasNode(doc, e.to)) return doc;
      if (doc.edges.some((x) => edgeId(x) === edgeId(e))) return doc;
      let nodes = doc.nodes;
      // Wiring the error port is how an analyst says "route failures here", so the node follows it.
      if ((e.port ?? DEFAULT_PORT) === ERROR_PORT) {
        nodes = nodes.map((n) => (n.id === e.from && n.onError !== 'route' ? { ...n, onError: 'route' as const } : n));
      }
      return { ...doc, nodes, edges: [...doc.edges, e] };
    }
    case 'move': {
      let changed = false;
      const layout = { ...doc.layout };
      for (const [id, p] of Object.entries(edit.positions)) {
        if (!hasNode(doc, id)) continue;
        const r = roundPos(p);
        const old = layout[id];
        if (old && old.x === r.x && old.y === r.y) continue;
        layout[id] = r;
        changed = true;
      }
      return changed ? { ...doc, layout } : doc;
    }
    case 'setLayout': {
      const layout = { ...doc.layout };
      for (const [id, p] of Object.entries(edit.layout)) if (hasNode(doc, id)) layout[id] = roundPos(p);
      return { ...doc, layout };
    }
    case 'updateNode':
      return mapNode(doc, edit.nodeId, (n) => {
        const next: Record<string, unknown> = { ...n };
        for (const [k, v] of Object.entries(edit.patch)) {
          if (v === undefined) delete next[k];
          else next[k] = v;
        }
        return next as FlowNode;
      });
    case 'setConfig':
      return mapNode(doc, edit.nodeId, (n) => {
        const config = { ...n.config };
        if (edit.value === undefined) delete config[edit.key];
        else config[edit.key] = edit.value;
        return { ...n, config };
      });
    case 'renameNode':
      return renameNode(doc, edit.from, edit.to);
    case 'paste': {
      const nodes = [...doc.nodes, ...edit.nodes.filter((n) => !hasNode(doc, n.id))];
      const ids = new Set(nodes.map((n) => n.id));
      const existing = new Set(doc.edges.map(edgeId));
      const edges = [...doc.edges, ...edit.edges.map(normaliseEdge).filter((e) => ids.has(e.from) && ids.has(e.to) && !existing.has(edgeId(e)))];
      return { ...doc, nodes, edges, layout: { ...doc.layout, ...edit.layout } };
    }
    case 'setMeta': {
      const next = { ...doc };
      if (edit.name !== undefined) next.name = edit.name;
      if (edit.description === '') delete next.description;
      else if (edit.description !== undefined) next.description = edit.description;
      if (edit.settings) next.settings = { ...doc.settings, ...edit.settings };
      return next;
    }
    case 'setTrigger':
      return hasNode(doc, edit.nodeId) && doc.trigger !== edit.nodeId ? { ...doc, trigger: edit.nodeId } : doc;
  }
}

/** Copies the given nodes, the edges among them and their positions. */
export function copySelection(doc: FlowDocument, nodeIds: readonly string[]): ClipboardData | null {
  const ids = new Set(nodeIds);
  const nodes = doc.nodes.filter((n) => ids.has(n.id));
  if (nodes.length === 0) return null;
  const edges = doc.edges.filter((e) => ids.has(e.from) && ids.has(e.to));
  const layout: Record<string, Position> = {};
  for (const n of nodes) layout[n.id] = doc.layout[n.id] ?? { x: 0, y: 0 };
  return structuredClone({ nodes, edges, layout });
}

/**
 * Turns clipboard contents into a `paste` edit with fresh ids (so a paste never collides), internal
 * edges and `$steps.<id>` references rewritten to the copies, positions shifted by `offset`.
 */
export function preparePaste(doc: FlowDocument, clip: ClipboardData, offset: Position = { x: 40, y: 40 }): Extract<FlowEdit, { type: 'paste' }> {
  const taken = new Set(doc.nodes.map((n) => n.id));
  const renames = new Map<string, string>();
  for (const n of clip.nodes) {
    const id = copyNodeId(n.id, taken);
    taken.add(id);
    renames.set(n.id, id);
  }
  const nodes = clip.nodes.map((n) => {
    let copy: FlowNode = { ...structuredClone(n), id: renames.get(n.id) ?? n.id };
    for (const [from, to] of renames) if (from !== to) copy = { ...copy, config: rewriteRefs(copy.config, from, to) as FlowNode['config'] };
    return copy;
  });
  const edges = clip.edges.map((e) => ({ ...e, from: renames.get(e.from) ?? e.from, to: renames.get(e.to) ?? e.to }));
  const layout: Record<string, Position> = {};
  for (const [id, p] of Object.entries(clip.layout)) layout[renames.get(id) ?? id] = { x: p.x + offset.x, y: p.y + offset.y };
  return { type: 'paste', nodes, edges, layout };
}

function renameNode(doc: FlowDocument, from: string, to: string): FlowDocument {
  if (from === to || !hasNode(doc, from) || hasNode(doc, to)) return doc;
  const nodes = doc.nodes.map((n) => {
    const config = rewriteRefs(n.config, from, to) as FlowNode['config'];
    return n.id === from ? { ...n, id: to, config } : { ...n, config };
  });
  const edges = doc.edges.map((e) => ({ ...e, from: e.from === from ? to : e.from, to: e.to === from ? to : e.to }));
  const layout = Object.fromEntries(Object.entries(doc.layout).map(([id, p]) => [id === from ? to : id, p]));
  return { ...doc, nodes, edges, layout, trigger: doc.trigger === from ? to : doc.trigger };
}

/** Rewrites `$steps.<from>` references inside every string of a config value. */
export function rewriteRefs(value: unknown, from: string, to: string): unknown {
  const re = new RegExp(`\\$steps\\.${escapeRegExp(from)}(?![A-Za-z0-9_-])`, 'g');
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(re, `$steps.${to}`);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function normaliseEdge(e: FlowEdge): FlowEdge {
  // The default port is implicit in the document so `{from,to}` and `{from,port:"out",to}` are one edge.
  return e.port === undefined || e.port === DEFAULT_PORT ? { from: e.from, to: e.to } : { from: e.from, port: e.port, to: e.to };
}

function hasNode(doc: FlowDocument, id: string): boolean {
  return doc.nodes.some((n) => n.id === id);
}

function mapNode(doc: FlowDocument, id: string, f: (n: FlowNode) => FlowNode): FlowDocument {
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    if (n.id !== id) return n;
    const next = f(n);
    if (JSON.stringify(next) !== JSON.stringify(n)) changed = true;
    return next;
  });
  return changed ? { ...doc, nodes } : doc;
}

function roundPos(p: Position): Position {
  return { x: Math.round(p.x), y: Math.round(p.y) };
}
