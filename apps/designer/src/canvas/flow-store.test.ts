import { describe, expect, it } from 'vitest';
import type { FlowDocument } from '@tributary/flow';
import { createFlowStore, emptyFlow, HISTORY_LIMIT, sameExceptLayout } from './flow-store.ts';
import { readableNodeId, copyNodeId } from './node-ids.ts';

function sampleDoc(): FlowDocument {
  return {
    ...emptyFlow('flw_1', 'Orders'),
    trigger: 'orderCreated',
    nodes: [
      { id: 'orderCreated', type: 'shopify.orderCreated', config: {} },
      { id: 'map1', type: 'core.map', config: { expression: '$trigger.name' } },
      { id: 'createSalesOrder', type: 'erp.createSalesOrder', config: { order: { $expr: '$steps.map1' } } },
    ],
    edges: [
      { from: 'orderCreated', to: 'map1' },
      { from: 'map1', to: 'createSalesOrder' },
    ],
    layout: { orderCreated: { x: 0, y: 0 }, map1: { x: 260, y: 0 }, createSalesOrder: { x: 520, y: 0 } },
  };
}

describe('readable node ids', () => {
  it.each([
    ['erp.createSalesOrder', [], 'createSalesOrder'],
    ['erp.createSalesOrder', ['createSalesOrder'], 'createSalesOrder2'],
    ['core.map', [], 'map1'],
    ['core.map', ['map1', 'map2'], 'map3'],
    ['shopify.orderCreated', ['orderCreated'], 'orderCreated2'],
  ])('%s with %j taken → %s', (type, taken, expected) => {
    expect(readableNodeId(type, taken)).toBe(expected);
  });

  it.each([
    ['map1', ['map1'], 'map2'],
    ['map1', ['map1', 'map2'], 'map3'],
    ['createSO', ['createSO'], 'createSO2'],
    ['free', [], 'free'],
  ])('copy of %s with %j taken → %s', (id, taken, expected) => {
    expect(copyNodeId(id, taken)).toBe(expected);
  });
});

describe('flow store', () => {
  it('undo and redo walk back and forth through edits', () => {
    const store = createFlowStore(sampleDoc());
    const s = () => store.getState();
    s().dispatch({ type: 'addNode', node: { id: 'map2', type: 'core.map', config: {} }, position: { x: 10, y: 200 } });
    s().dispatch({ type: 'connect', edge: { from: 'map1', to: 'map2' } });
    expect(s().doc.nodes.map((n) => n.id)).toContain('map2');
    expect(s().doc.edges).toHaveLength(3);

    s().undo();
    expect(s().doc.edges).toHaveLength(2);
    s().undo();
    expect(s().doc.nodes.map((n) => n.id)).not.toContain('map2');
    expect(s().doc).toEqual(sampleDoc());

    s().redo();
    s().redo();
    expect(s().doc.edges).toContainEqual({ from: 'map1', to: 'map2' });
    s().redo();
    expect(s().doc.edges).toHaveLength(3);
  });

  it('a new edit after undo discards the redo branch', () => {
    const store = createFlowStore(sampleDoc());
    const s = () => store.getState();
    s().dispatch({ type: 'setMeta', name: 'A' });
    s().undo();
    s().dispatch({ type: 'setMeta', name: 'B' });
    s().redo();
    expect(s().doc.name).toBe('B');
    expect(s().future).toHaveLength(0);
  });

  it('typing in one field is one undo step; another field starts a new one', () => {
    const store = createFlowStore(sampleDoc());
    const s = () => store.getState();
    for (const text of ['$', '$t', '$tr', '$trigger']) s().dispatch({ type: 'setConfig', nodeId: 'map1', key: 'expression', value: text }, { coalesce: 'map1.expression' });
    s().dispatch({ type: 'updateNode', nodeId: 'map1', patch: { name: 'To SO' } }, { coalesce: 'map1.name' });
    expect(s().past).toHaveLength(2);
    s().undo();
    expect(s().doc.nodes[1]?.name).toBeUndefined();
    expect(s().doc.nodes[1]?.config['expression']).toBe('$trigger');
    s().undo();
    expect(s().doc.nodes[1]?.config['expression']).toBe('$trigger.name');
  });

  it('edits that change nothing add no undo step', () => {
    const store = createFlowStore(sampleDoc());
    store.getState().dispatch({ type: 'connect', edge: { from: 'orderCreated', to: 'map1' } });
    store.getState().dispatch({ type: 'move', positions: { map1: { x: 260, y: 0 } } });
    expect(store.getState().past).toHaveLength(0);
  });

  it(`keeps at most ${HISTORY_LIMIT} undo steps`, () => {
    const store = createFlowStore(sampleDoc());
    for (let i = 0; i < HISTORY_LIMIT + 20; i++) store.getState().dispatch({ type: 'setMeta', name: `n${i}` });
    expect(store.getState().past).toHaveLength(HISTORY_LIMIT);
    for (let i = 0; i < HISTORY_LIMIT + 20; i++) store.getState().undo();
    expect(store.getState().doc.name).toBe('n19');
  });

  it('deleting a node removes its edges and its position', () => {
    const store = createFlowStore(sampleDoc());
    store.getState().select({ nodes: ['map1'] });
    store.getState().deleteSelection();
    const { doc } = store.getState();
    expect(doc.nodes.map((n) => n.id)).toEqual(['orderCreated', 'createSalesOrder']);
    expect(doc.edges).toEqual([]);
    expect(doc.layout).not.toHaveProperty('map1');
    expect(store.getState().selection.nodes).toEqual([]);
  });

  it('deleting a selected edge keeps both nodes', () => {
    const store = createFlowStore(sampleDoc());
    store.getState().select({ edges: ['map1:out->createSalesOrder'] });
    store.getState().deleteSelection();
    expect(store.getState().doc.nodes).toHaveLength(3);
    expect(store.getState().doc.edges).toEqual([{ from: 'orderCreated', to: 'map1' }]);
  });

  it('moving a node changes only the layout', () => {
    const store = createFlowStore(sampleDoc());
    const before = store.getState().doc;
    store.getState().dispatch({ type: 'move', positions: { map1: { x: 300.4, y: 80.6 } } });
    const after = store.getState().doc;
    expect(after.layout.map1).toEqual({ x: 300, y: 81 });
    expect({ ...after, layout: null }).toEqual({ ...before, layout: null });
    expect(after.nodes).toBe(before.nodes);
    expect(after.edges).toBe(before.edges);
  });

  it('a move leaves the document the same except for its layout; other edits do not', () => {
    const store = createFlowStore(sampleDoc());
    const before = store.getState().doc;
    store.getState().dispatch({ type: 'move', positions: { map1: { x: 300, y: 80 } } });
    expect(store.getState().doc).not.toBe(before);
    expect(sameExceptLayout(before, store.getState().doc)).toBe(true);
    store.getState().dispatch({ type: 'setConfig', nodeId: 'map1', key: 'expression', value: '$trigger.email' });
    expect(sameExceptLayout(before, store.getState().doc)).toBe(false);
  });

  it('a whole drag is one undo step', () => {
    const store = createFlowStore(sampleDoc());
    const s = () => store.getState();
    for (let x = 261; x < 300; x += 5) s().dispatchTransient({ type: 'move', positions: { map1: { x, y: 0 } } });
    s().dispatch({ type: 'move', positions: { map1: { x: 400, y: 40 } } });
    expect(s().past).toHaveLength(1);
    s().undo();
    expect(s().doc.layout.map1).toEqual({ x: 260, y: 0 });
  });

  it('copy/paste gives the copies fresh ids and rewires edges and references between them', () => {
    const store = createFlowStore(sampleDoc());
    const s = () => store.getState();
    s().select({ nodes: ['map1', 'createSalesOrder'] });
    s().copy();
    s().paste();
    const ids = s().doc.nodes.map((n) => n.id);
    expect(ids).toEqual(['orderCreated', 'map1', 'createSalesOrder', 'map2', 'createSalesOrder2']);
    expect(s().doc.edges).toContainEqual({ from: 'map2', to: 'createSalesOrder2' });
    // The edge from the trigger was not copied: only edges inside the selection are.
    expect(s().doc.edges.filter((e) => e.to === 'map2')).toEqual([]);
    const copy = s().doc.nodes.find((n) => n.id === 'createSalesOrder2');
    expect(copy?.config).toEqual({ order: { $expr: '$steps.map2' } });
    expect(s().doc.layout.map2).toEqual({ x: 300, y: 40 });
    expect(s().selection.nodes).toEqual(['map2', 'createSalesOrder2']);

    s().paste();
    expect(s().doc.nodes.map((n) => n.id)).toContain('map3');
    expect(s().doc.layout.map3).toEqual({ x: 340, y: 80 });
    s().undo();
    expect(s().doc.nodes.map((n) => n.id)).not.toContain('map3');
  });

  it('wiring the error port routes failures of that node', () => {
    const store = createFlowStore(sampleDoc());
    store.getState().dispatch({ type: 'addNode', node: { id: 'notifyOps', type: 'core.http', config: {} }, position: { x: 0, y: 0 } });
    store.getState().dispatch({ type: 'connect', edge: { from: 'createSalesOrder', port: 'error', to: 'notifyOps' } });
    const node = store.getState().doc.nodes.find((n) => n.id === 'createSalesOrder');
    expect(node?.onError).toBe('route');
    expect(store.getState().doc.edges).toContainEqual({ from: 'createSalesOrder', port: 'error', to: 'notifyOps' });
  });

  it('renaming a node id follows through edges, layout, trigger and $steps references', () => {
    const store = createFlowStore(sampleDoc());
    store.getState().dispatch({ type: 'renameNode', from: 'map1', to: 'toSalesOrder' });
    const { doc } = store.getState();
    expect(doc.edges).toEqual([
      { from: 'orderCreated', to: 'toSalesOrder' },
      { from: 'toSalesOrder', to: 'createSalesOrder' },
    ]);
    expect(doc.layout.toSalesOrder).toEqual({ x: 260, y: 0 });
    expect(doc.nodes[2]?.config).toEqual({ order: { $expr: '$steps.toSalesOrder' } });
  });

  it('a read-only store refuses edits but still selects', () => {
    const store = createFlowStore(sampleDoc());
    store.getState().setReadOnly(true);
    store.getState().select({ nodes: ['map1'] });
    store.getState().deleteSelection();
    store.getState().dispatch({ type: 'setMeta', name: 'x' });
    expect(store.getState().doc).toEqual(sampleDoc());
    expect(store.getState().selection.nodes).toEqual(['map1']);
  });

  it('a restored draft is unsaved over the loaded document, and one undo goes back to the loaded one', () => {
    const stored = sampleDoc();
    const kept = { ...sampleDoc(), name: 'Orders (mine)' };
    const store = createFlowStore();
    store.getState().load(stored);
    store.getState().restoreDraft(kept);
    expect(store.getState().doc).toBe(kept);
    expect(store.getState().savedDoc).toBe(stored);
    store.getState().undo();
    expect(store.getState().doc).toBe(stored);
  });
});
