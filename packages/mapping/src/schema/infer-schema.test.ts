import { describe, expect, it } from 'vitest';
import { shopifyOrder } from '../../test/fixtures.ts';
import { type SchemaField, flattenPaths, inferSchema } from './infer-schema.ts';

function find(tree: SchemaField, path: string): SchemaField {
  const stack = [tree];
  for (let field = stack.pop(); field !== undefined; field = stack.pop()) {
    if (field.path === path) return field;
    stack.push(...field.children);
  }
  throw new Error(`no field ${path}`);
}

describe('inferSchema', () => {
  it('describes one sample', () => {
    expect(inferSchema([{ id: 7, name: 'Ada', tags: ['a', 'b'], address: { city: 'Oslo', zip: null } }])).toEqual({
      path: '',
      name: '',
      types: ['object'],
      optional: false,
      array: false,
      examples: [],
      children: [
        { path: 'id', name: 'id', types: ['number'], optional: false, array: false, examples: [7], children: [] },
        { path: 'name', name: 'name', types: ['string'], optional: false, array: false, examples: ['Ada'], children: [] },
        { path: 'tags', name: 'tags', types: ['array'], itemTypes: ['string'], optional: false, array: true, examples: ['a', 'b'], children: [] },
        {
          path: 'address',
          name: 'address',
          types: ['object'],
          optional: false,
          array: false,
          examples: [],
          children: [
            { path: 'address.city', name: 'city', types: ['string'], optional: false, array: false, examples: ['Oslo'], children: [] },
            { path: 'address.zip', name: 'zip', types: ['null'], optional: false, array: false, examples: [], children: [] },
          ],
        },
      ],
    });
  });

  it.each<[string, unknown[], string, Partial<SchemaField>]>([
    ['a field missing from one sample is optional', [{ a: 1, b: 1 }, { a: 2 }], 'b', { optional: true, examples: [1] }],
    ['a field in every sample is required', [{ a: 1 }, { a: 2 }], 'a', { optional: false, examples: [1, 2] }],
    ['types are merged in a fixed order', [{ a: null }, { a: 3 }, { a: 'x' }], 'a', { types: ['string', 'number', 'null'] }],
    ['at most 3 distinct examples', [{ a: 1 }, { a: 1 }, { a: 2 }, { a: 3 }, { a: 4 }], 'a', { examples: [1, 2, 3] }],
    ['array elements are merged', [{ items: [{ sku: 'A', qty: 1 }, { sku: 'B' }] }], 'items[].qty', { optional: true, examples: [1] }],
    ['array elements across samples', [{ items: [{ sku: 'A' }] }, { items: [{ sku: 'B', x: true }] }], 'items[].x', { optional: true, types: ['boolean'] }],
    ['an element field present in all elements is required', [{ items: [{ sku: 'A' }, { sku: 'B' }] }, { items: [] }], 'items[].sku', { optional: false, examples: ['A', 'B'] }],
    ['nested arrays', [{ a: [{ b: [{ c: 1 }] }] }], 'a[].b[].c', { examples: [1] }],
    ['long text examples are cut', [{ a: 'x'.repeat(150) }], 'a', { examples: [`${'x'.repeat(100)}…`] }],
    ['a field that is sometimes an array', [{ a: 'x' }, { a: ['y'] }], 'a', { types: ['string', 'array'], array: true, itemTypes: ['string'], examples: ['x', 'y'] }],
  ])('%s', (_name, samples, path, expected) => {
    expect(find(inferSchema(samples), path)).toMatchObject(expected);
  });

  it('describes the fixture Shopify order', () => {
    const tree = inferSchema([shopifyOrder]);
    expect(find(tree, 'line_items[].sku')).toMatchObject({ types: ['string'], examples: ['TR2-SLT-10', 'ASJ-NVY-M', 'MCS3-CHR'], optional: false });
    expect(find(tree, 'shipping_address.address2')).toMatchObject({ types: ['null'] });
    expect(find(tree, 'line_items[].tax_lines[].rate')).toMatchObject({ types: ['number'], examples: [0.0775] });
    expect(find(tree, 'fulfillments')).toMatchObject({ array: true, itemTypes: [], children: [] });
  });

  it('handles a root array and no samples', () => {
    expect(flattenPaths(inferSchema([[{ id: 1 }, { id: 2, x: 1 }]]))).toEqual(['[].id', '[].x']);
    expect(inferSchema([])).toEqual({ path: '', name: '', types: [], optional: false, array: false, examples: [], children: [] });
  });
});

describe('flattenPaths', () => {
  it('lists every path depth first for autocomplete', () => {
    const paths = flattenPaths(inferSchema([shopifyOrder]));
    expect(paths.slice(0, 3)).toEqual(['id', 'admin_graphql_api_id', 'app_id']);
    expect(paths).toContain('line_items');
    expect(paths).toContain('line_items[].sku');
    expect(paths).toContain('line_items[].discount_allocations[].amount');
    expect(paths.indexOf('line_items[].sku')).toBeGreaterThan(paths.indexOf('line_items'));
    expect(new Set(paths).size).toBe(paths.length);
  });
});
