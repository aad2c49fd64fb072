import { describe, expect, it } from 'vitest';
import type { FlowDocument } from '@tributary/flow';
import { emptyFlow } from '../canvas/flow-store.ts';
import { flowDiff } from './flow-diff.ts';
import { diffHunks, lineDiff } from './line-diff.ts';

describe('lineDiff', () => {
  it('marks added, removed and unchanged lines with their line numbers', () => {
    const d = lineDiff('a\nb\nc\n', 'a\nB\nc\nd\n');
    expect(d.map((l) => `${l.kind[0]}${l.text}`)).toEqual(['sa', 'rb', 'aB', 'sc', 'ad']);
    expect(d.find((l) => l.text === 'd')).toMatchObject({ oldNo: null, newNo: 4 });
    expect(d.find((l) => l.text === 'b')).toMatchObject({ oldNo: 2, newNo: null });
  });

  it('identical texts have no changes', () => {
    expect(lineDiff('x\ny', 'x\ny').every((l) => l.kind === 'same')).toBe(true);
  });

  it('folds long unchanged runs around changes', () => {
    const old = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n');
    const next = old.replace('l10', 'L10');
    const hunks = diffHunks(lineDiff(old, next), 2);
    expect(hunks[0]).toEqual({ kind: 'fold', count: 8 });
    expect(hunks.filter((h) => h.kind !== 'fold').map((h) => ('text' in h ? h.text : ''))).toEqual(['l8', 'l9', 'l10', 'L10', 'l11', 'l12']);
    expect(hunks[hunks.length - 1]).toEqual({ kind: 'fold', count: 7 });
  });
});

describe('flowDiff', () => {
  const base: FlowDocument = {
    ...emptyFlow('f', 'F'),
    trigger: 't',
    nodes: [
      { id: 't', type: 'shopify.orderCreated', config: {} },
      { id: 'map1', type: 'core.map', config: { expression: 'a' } },
      { id: 'old', type: 'core.delay', config: {} },
    ],
    edges: [{ from: 't', to: 'map1' }, { from: 'map1', to: 'old' }],
    layout: { t: { x: 0, y: 0 } },
  };

  it('reports added, removed and changed nodes and edges, ignoring layout', () => {
    const next: FlowDocument = {
      ...base,
      name: 'F2',
      nodes: [base.nodes[0]!, { id: 'map1', type: 'core.map', config: { expression: 'b' }, onError: 'route' }, { id: 'createSO', type: 'erp.createSalesOrder', config: {} }],
      edges: [{ from: 't', to: 'map1' }, { from: 'map1', to: 'createSO' }],
      layout: { t: { x: 500, y: 500 } },
    };
    const d = flowDiff(base, next);
    expect(d.nodes).toEqual([
      { id: 'map1', kind: 'changed', fields: ['onError', 'config.expression'] },
      { id: 'createSO', kind: 'added', fields: [] },
      { id: 'old', kind: 'removed', fields: [] },
    ]);
    expect(d.edgesAdded).toEqual([{ from: 'map1', to: 'createSO' }]);
    expect(d.edgesRemoved).toEqual([{ from: 'map1', to: 'old' }]);
    expect(d.meta).toEqual(['name']);
  });

  it('a layout-only change is no change', () => {
    const d = flowDiff(base, { ...base, layout: { t: { x: 9, y: 9 } } });
    expect(d).toEqual({ nodes: [], edgesAdded: [], edgesRemoved: [], meta: [] });
  });
});
