import { describe, expect, it } from 'vitest';
import { baseFlow } from '../test/fixtures.ts';
import { parseFlow } from './parse.ts';
import type { FlowDocument } from './schema.ts';
import { mergeLayout, serializeFlow, splitLayout } from './serialize.ts';

function parse(text: string | unknown): FlowDocument {
  const r = parseFlow(text);
  if (!r.ok) throw new Error(JSON.stringify(r.issues, null, 2));
  return r.flow;
}

/** Rebuilds every object with its keys in reverse order (arrays untouched), recursively. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
}

/** Lines that differ between two texts of the same line count, with their line number; throws when counts differ. */
function changedLines(a: string, b: string): Array<{ line: number; before: string; after: string }> {
  const la = a.split('\n');
  const lb = b.split('\n');
  if (la.length !== lb.length) throw new Error(`line counts differ: ${la.length} vs ${lb.length}`);
  return la.flatMap((before, i) => (before === lb[i] ? [] : [{ line: i, before, after: lb[i] as string }]));
}

describe('serializeFlow', () => {
  it('writes the canonical text', () => {
    const text = serializeFlow({
      schemaVersion: 1,
      id: 'flw_small',
      name: 'Small',
      trigger: 'hook',
      nodes: [
        { config: { z: 1, a: { y: [{ b: 2, a: 1 }], x: true }, m: { $expr: 'a\n& b' } }, type: 'test.webhook', id: 'hook' },
        { id: 'map', type: 'core.map', config: { expression: '$' }, onError: 'continue' },
      ],
      edges: [{ to: 'map', from: 'hook' }],
      layout: { map: { x: 260.6, y: -0.2 }, hook: { x: 0, y: 0 } },
    });
    expect(text).toBe(`{
  "schemaVersion": 1,
  "id": "flw_small",
  "name": "Small",
  "trigger": "hook",
  "nodes": [
    {
      "id": "hook",
      "type": "test.webhook",
      "config": {
        "a": {
          "x": true,
          "y": [
            {
              "a": 1,
              "b": 2
            }
          ]
        },
        "m": { "$expr": "a\\n& b" },
        "z": 1
      }
    },
    {
      "id": "map",
      "type": "core.map",
      "config": {
        "expression": "$"
      },
      "onError": "continue"
    }
  ],
  "edges": [
    { "from": "hook", "to": "map" }
  ],
  "settings": {
    "priority": "normal",
    "concurrency": 10,
    "timeoutMs": 300000
  },
  "layout": {
    "hook": { "x": 0, "y": 0 },
    "map": { "x": 261, "y": 0 }
  }
}
`);
  });

  it('changes no byte when an unchanged flow is saved again', () => {
    const once = serializeFlow(baseFlow());
    expect(serializeFlow(parse(once))).toBe(once);
    expect(serializeFlow(parse(serializeFlow(parse(once))))).toBe(once);
    expect(serializeFlow(parse(baseFlow()))).toBe(once);
  });

  it('gives the same text whatever order the keys came in', () => {
    const doc = baseFlow();
    const shuffled = reverseKeys(doc) as FlowDocument;
    expect(JSON.stringify(shuffled)).not.toBe(JSON.stringify(doc));
    expect(serializeFlow(shuffled)).toBe(serializeFlow(doc));
    expect(serializeFlow(parse(shuffled))).toBe(serializeFlow(doc));
  });

  it('keeps the order of arrays', () => {
    const doc = parse(baseFlow());
    const swapped = { ...doc, nodes: [...doc.nodes].reverse() };
    expect(serializeFlow(swapped)).not.toBe(serializeFlow(doc));
    const text = serializeFlow(doc);
    expect(text.indexOf('"id": "hook"')).toBeLessThan(text.indexOf('"id": "notify"'));
  });

  it('changes only the layout line of a node that moved', () => {
    const doc = parse(baseFlow());
    const before = serializeFlow(doc);
    const after = serializeFlow({ ...doc, layout: { ...doc.layout, route: { x: 612.4, y: 33.5 } } });
    const layoutStart = before.split('\n').indexOf('  "layout": {');
    const changed = changedLines(before, after);
    expect(changed).toEqual([{ line: expect.any(Number), before: '    "route": { "x": 520, "y": 0 },', after: '    "route": { "x": 612, "y": 34 },' }]);
    expect(changed[0]?.line).toBeGreaterThan(layoutStart);
  });

  it('does not rewrite anything when a move rounds to the same pixel', () => {
    const doc = parse(baseFlow());
    expect(serializeFlow({ ...doc, layout: { ...doc.layout, hook: { x: 0.3, y: -0.4 } } })).toBe(serializeFlow(doc));
  });

  it('can leave the layout out, so two versions compare by meaning only', () => {
    const doc = parse(baseFlow());
    const moved = { ...doc, layout: { hook: { x: 999, y: 999 } } };
    expect(serializeFlow(moved, { layout: false })).toBe(serializeFlow(doc, { layout: false }));
    expect(serializeFlow(doc, { layout: false })).not.toContain('"layout"');
    expect(serializeFlow(doc, { layout: false }).endsWith('}\n}\n')).toBe(true);
  });

  it('still writes a draft the schema rejects, in canonical order and without inventing defaults', () => {
    const draft = { nodes: [{ type: 'core.map', id: 'a', extra: { b: 1, a: 2 } }], name: '', schemaVersion: 1 } as unknown as FlowDocument;
    const text = serializeFlow(draft);
    expect(text).toBe(`{
  "schemaVersion": 1,
  "name": "",
  "nodes": [
    {
      "id": "a",
      "type": "core.map",
      "extra": {
        "a": 2,
        "b": 1
      }
    }
  ]
}
`);
    expect(serializeFlow(JSON.parse(text) as FlowDocument)).toBe(text);
  });
});

describe('splitLayout and mergeLayout', () => {
  it('take positions apart and put them back without changing the text', () => {
    const doc = parse(baseFlow());
    const { flow, layout } = splitLayout(doc);
    expect(flow.layout).toEqual({});
    expect(Object.keys(layout)).toEqual(['hook', 'toSO', 'route', 'createSO', 'notify']);
    expect(serializeFlow(mergeLayout(flow, layout))).toBe(serializeFlow(doc));
  });

  it('let new positions win', () => {
    const doc = parse(baseFlow());
    expect(mergeLayout(doc, { hook: { x: 5, y: 5 } }).layout).toMatchObject({ hook: { x: 5, y: 5 }, toSO: { x: 260, y: 0 } });
    expect(doc.layout['hook']).toEqual({ x: 0, y: 0 });
  });
});
