import { describe, expect, it } from 'vitest';
import type { NodeTypeSpec } from '@tributary/flow';
import { emptyFlow } from './flow-store.ts';
import { addNodeEdits } from './node-factory.ts';
import { paletteGroups } from './Palette.tsx';

function spec(type: string, kind: NodeTypeSpec['kind'], group: string, extra: Partial<NodeTypeSpec> = {}): NodeTypeSpec {
  return { type, connector: type.split('.')[0] ?? '', kind, label: type.split('.')[1] ?? type, description: '', group, outputs: ['out'], props: {}, runsIn: 'host', ...extra };
}

const catalog = [
  spec('shopify.orderCreated', 'trigger', 'Shopify'),
  spec('core.schedule', 'trigger', 'Triggers'),
  spec('core.map', 'logic', 'Data'),
  spec('erp.createSalesOrder', 'action', 'Business Central'),
  spec('shopify.updateInventory', 'action', 'Shopify'),
  spec('core.httpRequest', 'action', 'Data'),
];

describe('palette groups', () => {
  it('lists triggers, then logic, then actions by system', () => {
    expect(paletteGroups(catalog, '').map((g) => [g.title, g.items.map((i) => i.type)])).toEqual([
      ['Triggers', ['shopify.orderCreated', 'core.schedule']],
      ['Logic', ['core.map']],
      ['Business Central', ['erp.createSalesOrder']],
      ['Data', ['core.httpRequest']],
      ['Shopify', ['shopify.updateInventory']],
    ]);
  });

  it('filters by label, type or group', () => {
    expect(paletteGroups(catalog, 'shopify').flatMap((g) => g.items.map((i) => i.type))).toEqual(['shopify.orderCreated', 'shopify.updateInventory']);
    expect(paletteGroups(catalog, 'nothing-like-this')).toEqual([]);
  });
});

describe('adding a node from the palette', () => {
  it('gives a readable id and fills config defaults', () => {
    const s = spec('erp.createSalesOrder', 'action', 'ERP', { props: { mode: { type: 'select', label: 'Mode', default: 'draft' }, order: { type: 'json', label: 'Order' } } });
    const { nodeId, edits } = addNodeEdits(emptyFlow(), s, { x: 10, y: 20 });
    expect(nodeId).toBe('createSalesOrder');
    expect(edits).toEqual([{ type: 'addNode', node: { id: 'createSalesOrder', type: 'erp.createSalesOrder', config: { mode: 'draft' } }, position: { x: 10, y: 20 } }]);
  });

  it('the first trigger dropped becomes the flow trigger; a second one does not', () => {
    const first = addNodeEdits(emptyFlow(), catalog[0] as NodeTypeSpec, { x: 0, y: 0 });
    expect(first.edits).toContainEqual({ type: 'setTrigger', nodeId: 'orderCreated' });
    const doc = { ...emptyFlow(), trigger: 'orderCreated', nodes: [{ id: 'orderCreated', type: 'shopify.orderCreated', config: {} }] };
    const second = addNodeEdits(doc, catalog[1] as NodeTypeSpec, { x: 0, y: 0 });
    expect(second.edits.some((e) => e.type === 'setTrigger')).toBe(false);
  });
});
