import { DEFAULT_PORT, ERROR_PORT, portNames } from '@tributary/flow';
import type { FlowDocument, FlowEdge, FlowNode, NodeTypeSpec, Position } from '@tributary/flow';
import type { Connection, Edge, EdgeChange, Node, NodeChange } from '@xyflow/react';
import type { FlowEdit } from './flow-edits.ts';
import type { Dimensions, Selection } from './flow-store.ts';
import { edgeId } from './node-ids.ts';

/**
 * The one adapter between the FlowDocument and React Flow. Canvas nodes and edges are derived from
 * the document (plus view state) by `toCanvas`; what React Flow reports back (changes, connections)
 * becomes document edits through `fromNodeChanges`, `fromEdgeChanges` and `fromConnection`.
 * Nothing else in the designer builds React Flow nodes or reads them.
 */

export const STEP_NODE_TYPE = 'step';
export const INPUT_HANDLE = 'in';

export type IssueSeverity = 'error' | 'warning';

export interface NodeIssue {
  code: string;
  message: string;
  severity: IssueSeverity;
}

export type StepStatus = 'succeeded' | 'failed' | 'skipped' | 'running' | 'pending' | 'retrying' | 'waiting';

export interface StepBadge {
  status: StepStatus;
  durationMs?: number;
}

/** `data` of a canvas node: JSON only, everything the node component needs to draw itself. */
export type StepNodeData = {
  nodeId: string;
  label: string;
  type: string;
  typeLabel: string;
  kind: 'trigger' | 'action' | 'logic' | 'unknown';
  group: string;
  icon: string | null;
  outputs: string[];
  hasInput: boolean;
  hasErrorPort: boolean;
  errorRouted: boolean;
  isTrigger: boolean;
  disabled: boolean;
  readOnly: boolean;
  issues: NodeIssue[];
  run: StepBadge | null;
};

export type StepCanvasNode = Node<StepNodeData, typeof STEP_NODE_TYPE>;
export type FlowCanvasEdge = Edge<{ port: string }>;

export interface CanvasView {
  catalog: Readonly<Record<string, NodeTypeSpec>>;
  selection: Selection;
  measured: Readonly<Record<string, Dimensions>>;
  issuesByNode?: Readonly<Record<string, NodeIssue[]>>;
  stepsByNode?: Readonly<Record<string, StepBadge>>;
  readOnly?: boolean;
}

/** Output ports of a node: the catalog's fixed outputs plus any decided by config (`outputsFrom`, e.g. branch cases). */
export function nodeOutputs(node: FlowNode, spec: NodeTypeSpec | undefined): string[] {
  const ports = spec ? [...spec.outputs] : [DEFAULT_PORT];
  if (spec?.outputsFrom) {
    for (const name of portNames(node.config[spec.outputsFrom])) if (!ports.includes(name) && name !== ERROR_PORT) ports.push(name);
  }
  return ports;
}

/** Where a node without a stored position is drawn: a simple left-to-right row. */
export function fallbackPosition(index: number): Position {
  return { x: index * 260, y: 0 };
}

function toCanvasNode(doc: FlowDocument, n: FlowNode, index: number, view: CanvasView): StepCanvasNode {
  const spec = view.catalog[n.type];
  const isTrigger = spec ? spec.kind === 'trigger' : n.id === doc.trigger;
  const readOnly = view.readOnly ?? false;
  const measured = view.measured[n.id];
  const node: StepCanvasNode = {
    id: n.id,
    type: STEP_NODE_TYPE,
    position: doc.layout[n.id] ?? fallbackPosition(index),
    selected: view.selection.nodes.includes(n.id),
    draggable: !readOnly,
    connectable: !readOnly,
    deletable: !readOnly,
    data: {
      nodeId: n.id,
      label: n.name ?? spec?.label ?? n.id,
      type: n.type,
      typeLabel: spec?.label ?? n.type,
      kind: spec?.kind ?? 'unknown',
      group: spec?.group ?? 'Unknown',
      icon: spec?.icon ?? null,
      outputs: nodeOutputs(n, spec),
      hasInput: !isTrigger,
      hasErrorPort: !isTrigger,
      errorRouted: n.onError === 'route',
      isTrigger,
      disabled: n.disabled === true,
      readOnly,
      issues: view.issuesByNode?.[n.id] ?? [],
      run: view.stepsByNode?.[n.id] ?? null,
    },
  };
  if (measured) node.measured = { width: measured.width, height: measured.height };
  return node;
}

function toCanvasEdge(e: FlowEdge, view: CanvasView): FlowCanvasEdge {
  const port = e.port ?? DEFAULT_PORT;
  const id = edgeId(e);
  const edge: FlowCanvasEdge = {
    id,
    source: e.from,
    target: e.to,
    sourceHandle: port,
    targetHandle: INPUT_HANDLE,
    selected: view.selection.edges.includes(id),
    deletable: !(view.readOnly ?? false),
    className: port === ERROR_PORT ? 'edge-error' : undefined,
    data: { port },
  };
  if (port !== DEFAULT_PORT) edge.label = port;
  return edge;
}

export function toCanvas(doc: FlowDocument, view: CanvasView): { nodes: StepCanvasNode[]; edges: FlowCanvasEdge[] } {
  return { nodes: doc.nodes.map((n, i) => toCanvasNode(doc, n, i, view)), edges: doc.edges.map((e) => toCanvasEdge(e, view)) };
}

/**
 * `toCanvas` with memory: a canvas node or edge whose inputs did not change is returned as the same
 * object, so React Flow skips it (it compares nodes by identity) and dragging one node of a large
 * flow re-renders one node, not all of them; when no edge changed, `edges` is the previous array.
 */
export function createCanvasDeriver(): (doc: FlowDocument, view: CanvasView) => { nodes: StepCanvasNode[]; edges: FlowCanvasEdge[] } {
  let nodeCache = new Map<string, { deps: unknown[]; node: StepCanvasNode }>();
  let edgeCache = new Map<string, { deps: unknown[]; edge: FlowCanvasEdge }>();
  let lastEdges: FlowCanvasEdge[] = [];
  const same = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  return (doc, view) => {
    const nextNodes = new Map<string, { deps: unknown[]; node: StepCanvasNode }>();
    const nodes = doc.nodes.map((n, i) => {
      const issues = view.issuesByNode?.[n.id];
      const deps = [n, doc.layout[n.id] ?? i, doc.trigger, view.catalog[n.type], view.selection.nodes.includes(n.id), view.measured[n.id], issues ? JSON.stringify(issues) : '', view.stepsByNode?.[n.id], view.readOnly];
      const hit = nodeCache.get(n.id);
      const node = hit && same(hit.deps, deps) ? hit.node : toCanvasNode(doc, n, i, view);
      nextNodes.set(n.id, { deps, node });
      return node;
    });
    const nextEdges = new Map<string, { deps: unknown[]; edge: FlowCanvasEdge }>();
    const edges = doc.edges.map((e) => {
      const id = edgeId(e);
      const deps = [view.selection.edges.includes(id), view.readOnly];
      const hit = edgeCache.get(id);
      const edge = hit && same(hit.deps, deps) ? hit.edge : toCanvasEdge(e, view);
      nextEdges.set(id, { deps, edge });
      return edge;
    });
    nodeCache = nextNodes;
    edgeCache = nextEdges;
    // The same array when every edge is unchanged: React Flow then skips re-indexing all edges
    // (and notifying every edge) on each step of a node drag.
    if (edges.length !== lastEdges.length || edges.some((e, i) => e !== lastEdges[i])) lastEdges = edges;
    return { nodes, edges: lastEdges };
  };
}

/** What the store should do with a batch of node changes from React Flow. */
export interface CanvasUpdate {
  /** Edits that finish a user action (one undo step). */
  edits: FlowEdit[];
  /** Edits during a drag: applied live, folded into one undo step when the drag ends. */
  transientEdits: FlowEdit[];
  gestureEnded: boolean;
  selection: Selection | null;
  measured: Record<string, Dimensions>;
}

function emptyUpdate(): CanvasUpdate {
  return { edits: [], transientEdits: [], gestureEnded: false, selection: null, measured: {} };
}

function applySelect(current: string[], changes: Array<{ id: string; selected: boolean }>): string[] | null {
  if (changes.length === 0) return null;
  const set = new Set(current);
  for (const c of changes) {
    if (c.selected) set.add(c.id);
    else set.delete(c.id);
  }
  return [...set];
}

export function fromNodeChanges(changes: ReadonlyArray<NodeChange<StepCanvasNode>>, selection: Selection): CanvasUpdate {
  const out = emptyUpdate();
  const dragging: Record<string, Position> = {};
  const dropped: Record<string, Position> = {};
  const selects: Array<{ id: string; selected: boolean }> = [];
  const removed: string[] = [];
  for (const c of changes) {
    switch (c.type) {
      case 'position':
        if (c.position) (c.dragging ? dragging : dropped)[c.id] = c.position;
        if (c.dragging === false) out.gestureEnded = true;
        break;
      case 'dimensions':
        if (c.dimensions) out.measured[c.id] = { width: c.dimensions.width, height: c.dimensions.height };
        break;
      case 'select':
        selects.push({ id: c.id, selected: c.selected });
        break;
      case 'remove':
        removed.push(c.id);
        break;
      // 'add' and 'replace' never come from user gestures: nodes are only created through document edits.
      default:
        break;
    }
  }
  if (Object.keys(dragging).length > 0) out.transientEdits.push({ type: 'move', positions: dragging });
  if (Object.keys(dropped).length > 0) out.edits.push({ type: 'move', positions: dropped });
  if (removed.length > 0) out.edits.push({ type: 'removeElements', nodeIds: removed, edgeIds: [] });
  const nodes = applySelect(selection.nodes, selects);
  if (nodes) out.selection = { nodes, edges: selection.edges };
  return out;
}

export function fromEdgeChanges(changes: ReadonlyArray<EdgeChange<FlowCanvasEdge>>, selection: Selection): CanvasUpdate {
  const out = emptyUpdate();
  const selects: Array<{ id: string; selected: boolean }> = [];
  const removed: string[] = [];
  for (const c of changes) {
    if (c.type === 'select') selects.push({ id: c.id, selected: c.selected });
    else if (c.type === 'remove') removed.push(c.id);
  }
  if (removed.length > 0) out.edits.push({ type: 'removeElements', nodeIds: [], edgeIds: removed });
  const edges = applySelect(selection.edges, selects);
  if (edges) out.selection = { nodes: selection.nodes, edges };
  return out;
}

export function fromConnection(conn: Pick<Connection, 'source' | 'target' | 'sourceHandle'>): FlowEdit {
  const port = conn.sourceHandle ?? DEFAULT_PORT;
  const edge: FlowEdge = port === DEFAULT_PORT ? { from: conn.source, to: conn.target } : { from: conn.source, port, to: conn.target };
  return { type: 'connect', edge };
}

/** Connections the canvas refuses while the user drags: loops to self, into a trigger, duplicates. */
export function isConnectionAllowed(doc: FlowDocument, catalog: Readonly<Record<string, NodeTypeSpec>>, conn: Pick<Connection, 'source' | 'target' | 'sourceHandle'>): boolean {
  if (conn.source === conn.target) return false;
  const target = doc.nodes.find((n) => n.id === conn.target);
  if (!target) return false;
  if (catalog[target.type]?.kind === 'trigger' || target.id === doc.trigger) return false;
  const edit = fromConnection(conn);
  return edit.type === 'connect' && !doc.edges.some((e) => edgeId(e) === edgeId(edit.edge));
}
