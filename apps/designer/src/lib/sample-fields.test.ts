import { describe, expect, it } from 'vitest';
import { fieldTree, jsonataPath, sampleFields } from './sample-fields.ts';

const order = {
  name: '#1001',
  total_price: '12.50',
  shipping_address: { city: 'Oakland', 'zip code': '94607' },
  line_items: [
    { sku: 'A', quantity: 2 },
    { sku: 'B', quantity: 1, gift: true },
  ],
};

describe('sample fields', () => {
  it('builds the source tree with array markers in paths', () => {
    const tree = fieldTree(order);
    expect(tree.map((f) => [f.path, f.type])).toEqual([
      ['name', 'string'],
      ['total_price', 'string'],
      ['shipping_address', 'object'],
      ['line_items', 'array'],
    ]);
    const items = tree.find((f) => f.name === 'line_items');
    expect(items?.itemType).toBe('object');
    expect(items?.children.map((c) => c.path)).toEqual(['line_items[].sku', 'line_items[].quantity', 'line_items[].gift']);
    expect(tree[0]?.example).toBe('#1001');
  });

  it('flattens to JSONata paths for autocomplete (no [] and backticks where needed)', () => {
    const paths = sampleFields(order).map((f) => f.path);
    expect(paths).toContain('line_items.sku');
    expect(paths).toContain('shipping_address.`zip code`');
  });

  it('reads a root array as a list of samples', () => {
    expect(fieldTree([{ a: 1 }, { b: 2 }]).map((f) => f.path)).toEqual(['a', 'b']);
  });

  it.each([
    ['line_items[].sku', 'line_items.sku'],
    ['a.b', 'a.b'],
    ['ship to.city', '`ship to`.city'],
  ])('jsonataPath(%s) = %s', (spec, expected) => {
    expect(jsonataPath(spec)).toBe(expected);
  });
});
