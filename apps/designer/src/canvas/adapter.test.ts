import { describe, expect, it } from 'vitest';
import type { FlowDocument, NodeTypeSpec } from '@tributary/flow';
import { createCanvasDeriver, fromConnection, fromEdgeChanges, fromNodeChanges, isConnectionAllowed, toCanvas } from './adapter.ts';
import type { StepCanvasNode } from './adapter.ts';
import { applyCanvasUpdate, createFlowStore, emptyFlow } from './flow-store.ts';

function spec(type: string, kind: NodeTypeSpec['kind'], extra: Partial<NodeTypeSpec> = {}): NodeTypeSpec {
  return { type, connector: type.split('.')[0] ?? '', kind, label: type, description: '', group: 'G', outputs: ['out'], props: {}, runsIn: 'host', ...extra };
}

const catalog: Record<string, NodeTypeSpec> = {
  'shopify.orderCreated': spec('shopify.orderCreated', 'trigger', { label: 'Order created' }),
  'core.branch': spec('core.branch', 'logic', { outputs: ['else'], outputsFrom: 'cases' }),
  'erp.createSalesOrder': spec('erp.createSalesOrder', 'action', { label: 'Create sales order' }),
};

function doc(): FlowDocument {
  return {
    ...emptyFlow('f', 'F'),
    trigger: 'orderCreated',
    nodes: [
      { id: 'orderCreated', type: 'shopify.orderCreated', config: {} },
      { id: 'branch1', type: 'core.branch', config: { cases: [{ name: 'wholesale', when: 'x' }, 'retail'] } },
      { id: 'createSO', type: 'erp.createSalesOrder', name: 'Create SO', config: {}, onError: 'route' },
      { id: 'notify', type: 'mystery.thing', config: {} },
    ],
    edges: [
      { from: 'orderCreated', to: 'branch1' },
      { from: 'branch1', port: 'wholesale', to: 'createSO' },
      { from: 'createSO', port: 'error', to: 'notify' },
    ],
    layout: { orderCreated: { x: 0, y: 0 }, branch1: { x: 260, y: 0 } },
  };
}

describe('toCanvas', () => {
  const view = {
    catalog,
    selection: { nodes: ['branch1'], edges: ['createSO:error->notify'] },
    measured: { branch1: { width: 200, height: 60 } },
    issuesByNode: { notify: [{ code: 'FLOW_UNKNOWN_NODE_TYPE', message: 'unknown type', severity: 'error' as const }] },
    stepsByNode: { createSO: { status: 'failed' as const, durationMs: 12 } },
  };

  it('derives one canvas node per flow node with ports, issues, run status and selection', () => {
    const { nodes } = toCanvas(doc(), view);
    expect(nodes.map((n) => n.id)).toEqual(['orderCreated', 'branch1', 'createSO', 'notify']);
    const [trigger, branch, createSO, notify] = nodes as [StepCanvasNode, StepCanvasNode, StepCanvasNode, StepCanvasNode];
    expect(trigger.data).toMatchObject({ isTrigger: true, hasInput: false, hasErrorPort: false, label: 'Order created' });
    expect(branch.data.outputs).toEqual(['else', 'wholesale', 'retail']);
    expect(branch.selected).toBe(true);
    expect(branch.measured).toEqual({ width: 200, height: 60 });
    expect(createSO.data).toMatchObject({ label: 'Create SO', errorRouted: true, hasErrorPort: true, run: { status: 'failed', durationMs: 12 } });
    expect(notify.data.kind).toBe('unknown');
    expect(notify.data.issues).toHaveLength(1);
  });

  it('takes positions from doc.layout, and places nodes without one in a row', () => {
    const { nodes } = toCanvas(doc(), view);
    expect(nodes[1]?.position).toEqual({ x: 260, y: 0 });
    expect(nodes[2]?.position).toEqual({ x: 520, y: 0 });
  });

  it('derives edges with port handles; the error edge is marked', () => {
    const { edges } = toCanvas(doc(), view);
    expect(edges.map((e) => [e.id, e.source, e.sourceHandle, e.target])).toEqual([
      ['orderCreated:out->branch1', 'orderCreated', 'out', 'branch1'],
      ['branch1:wholesale->createSO', 'branch1', 'wholesale', 'createSO'],
      ['createSO:error->notify', 'createSO', 'error', 'notify'],
    ]);
    expect(edges[2]?.className).toBe('edge-error');
    expect(edges[2]?.selected).toBe(true);
    expect(edges[0]?.className).toBeUndefined();
  });

  it('node data is plain JSON (no functions), so it survives a JSON round trip', () => {
    const { nodes } = toCanvas(doc(), view);
    for (const n of nodes) expect(JSON.parse(JSON.stringify(n.data))).toEqual(n.data);
  });

  it('read-only canvases are neither draggable nor connectable', () => {
    const { nodes } = toCanvas(doc(), { ...view, readOnly: true });
    expect(nodes.every((n) => n.draggable === false && n.connectable === false && n.data.readOnly)).toBe(true);
  });
});

describe('createCanvasDeriver', () => {
  it('gives the same canvas objects for unchanged nodes, fresh ones for changed nodes, equal to toCanvas', () => {
    const derive = createCanvasDeriver();
    const store = createFlowStore(doc());
    const view = () => ({ catalog, selection: store.getState().selection, measured: store.getState().measured });
    const first = derive(store.getState().doc, view());
    store.getState().dispatch({ type: 'move', positions: { branch1: { x: 300, y: 40 } } });
    const second = derive(store.getState().doc, view());
    expect(second.nodes[0]).toBe(first.nodes[0]);
    expect(second.nodes[2]).toBe(first.nodes[2]);
    expect(second.nodes[1]).not.toBe(first.nodes[1]);
    expect(second.nodes[1]?.position).toEqual({ x: 300, y: 40 });
    expect(second.edges[0]).toBe(first.edges[0]);
    // No edge changed: the same array, so React Flow does not re-index every edge on each drag step.
    expect(second.edges).toBe(first.edges);
    expect(second).toEqual(toCanvas(store.getState().doc, view()));

    store.getState().select({ nodes: ['createSO'] });
    const third = derive(store.getState().doc, view());
    expect(third.nodes[2]?.selected).toBe(true);
    expect(third.nodes[0]).toBe(first.nodes[0]);

    store.getState().dispatch({ type: 'removeElements', nodeIds: [], edgeIds: [first.edges[0]?.id ?? ''] });
    const fourth = derive(store.getState().doc, view());
    expect(fourth.edges).not.toBe(first.edges);
    expect(fourth.edges).toHaveLength(first.edges.length - 1);
  });
});

describe('canvas changes → document', () => {
  it('a drag moves only layout and lands as one undo step', () => {
    const store = createFlowStore(doc());
    const before = store.getState().doc;
    const sel = () => store.getState().selection;
    applyCanvasUpdate(store, fromNodeChanges([{ type: 'position', id: 'branch1', position: { x: 270, y: 5 }, dragging: true }], sel()));
    applyCanvasUpdate(store, fromNodeChanges([{ type: 'position', id: 'branch1', position: { x: 300, y: 50 }, dragging: true }], sel()));
    applyCanvasUpdate(store, fromNodeChanges([{ type: 'position', id: 'branch1', position: { x: 310, y: 60 }, dragging: false }], sel()));
    const after = store.getState().doc;
    expect(after.layout.branch1).toEqual({ x: 310, y: 60 });
    expect(after.nodes).toBe(before.nodes);
    expect(store.getState().past).toEqual([before]);
  });

  it('select changes update the selection without touching the document', () => {
    const store = createFlowStore(doc());
    const before = store.getState().doc;
    applyCanvasUpdate(store, fromNodeChanges([{ type: 'select', id: 'branch1', selected: true }, { type: 'select', id: 'createSO', selected: true }], store.getState().selection));
    applyCanvasUpdate(store, fromNodeChanges([{ type: 'select', id: 'branch1', selected: false }], store.getState().selection));
    applyCanvasUpdate(store, fromEdgeChanges([{ type: 'select', id: 'orderCreated:out->branch1', selected: true }], store.getState().selection));
    expect(store.getState().selection).toEqual({ nodes: ['createSO'], edges: ['orderCreated:out->branch1'] });
    expect(store.getState().doc).toBe(before);
  });

  it('dimension changes are kept as view state for the next derivation', () => {
    const store = createFlowStore(doc());
    const item = toCanvas(doc(), { catalog, selection: { nodes: [], edges: [] }, measured: {} }).nodes[0] as StepCanvasNode;
    applyCanvasUpdate(store, fromNodeChanges([{ type: 'dimensions', id: item.id, dimensions: { width: 180, height: 64 } }], store.getState().selection));
    const { nodes } = toCanvas(store.getState().doc, { catalog, selection: store.getState().selection, measured: store.getState().measured });
    expect(nodes[0]?.measured).toEqual({ width: 180, height: 64 });
    expect(store.getState().past).toHaveLength(0);
  });

  it('removing an edge on the canvas removes it from the document', () => {
    const store = createFlowStore(doc());
    applyCanvasUpdate(store, fromEdgeChanges([{ type: 'remove', id: 'branch1:wholesale->createSO' }], store.getState().selection));
    expect(store.getState().doc.edges).toHaveLength(2);
    expect(store.getState().doc.nodes).toHaveLength(4);
  });

  it('a connection becomes an edge; the default port stays implicit', () => {
    expect(fromConnection({ source: 'a', target: 'b', sourceHandle: 'out' })).toEqual({ type: 'connect', edge: { from: 'a', to: 'b' } });
    expect(fromConnection({ source: 'a', target: 'b', sourceHandle: null })).toEqual({ type: 'connect', edge: { from: 'a', to: 'b' } });
    expect(fromConnection({ source: 'a', target: 'b', sourceHandle: 'error' })).toEqual({ type: 'connect', edge: { from: 'a', port: 'error', to: 'b' } });
  });

  it.each([
    [{ source: 'branch1', target: 'branch1', sourceHandle: 'out' }, false, 'self loop'],
    [{ source: 'createSO', target: 'orderCreated', sourceHandle: 'out' }, false, 'into the trigger'],
    [{ source: 'orderCreated', target: 'branch1', sourceHandle: 'out' }, false, 'duplicate'],
    [{ source: 'branch1', target: 'notify', sourceHandle: 'retail' }, true, 'new branch case'],
  ])('isConnectionAllowed %j → %s (%s)', (conn, expected) => {
    expect(isConnectionAllowed(doc(), catalog, conn)).toBe(expected);
  });
});
