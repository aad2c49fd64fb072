import { describe, expect, it } from 'vitest';
import { salesOrderMapping, shopifyOrder, expectedSalesOrder } from '../../test/fixtures.ts';
import { MappingError } from '../errors.ts';
import { preview } from '../preview.ts';
import { jsonataToSpec } from './jsonata-to-spec.ts';
import { specToJsonata } from './spec-to-jsonata.ts';
import type { MappingSpec } from './types.ts';

const order = {
  name: '#1',
  shipping_address: { city: 'Oakland', 'zip code': '94607' },
  line_items: [
    { sku: 'A', quantity: 2, price: '1.50', components: [{ sku: 'A1' }, { sku: 'A2' }], tax_lines: [{ rate: 0.1 }] },
    { sku: 'B', quantity: 1, price: '3.00', components: [{ sku: 'B1' }], tax_lines: [] },
  ],
  currency: 'USD',
};

describe('specToJsonata', () => {
  it('writes nested objects and arrays row by row, readably', () => {
    const text = specToJsonata({
      rows: [
        { target: 'number', source: 'name' },
        { target: 'shipTo.city', source: 'shipping_address.city' },
        { target: 'lines[].itemNumber', source: 'line_items[].sku' },
        { target: 'lines[].amount', expression: '$moneyMul(quantity, price)' },
      ],
    });
    expect(text).toBe(
      [
        '{',
        '  "number": name,',
        '  "shipTo": {',
        '    "city": shipping_address.city',
        '  },',
        '  "lines": [line_items.{',
        '    "itemNumber": sku,',
        '    "amount": $moneyMul(quantity, price)',
        '  }]',
        '}',
      ].join('\n'),
    );
  });

  it.each<[string, MappingSpec, unknown]>([
    [
      'nested arrays, root fields inside arrays, quoted names',
      {
        rows: [
          { target: 'lines[].sku', source: 'line_items[].sku' },
          { target: 'lines[].currency', source: 'currency' },
          { target: 'lines[].parts[].sku', source: 'line_items[].components[].sku' },
          { target: 'zip', source: 'shipping_address.zip code' },
        ],
      },
      {
        lines: [
          { sku: 'A', currency: 'USD', parts: [{ sku: 'A1' }, { sku: 'A2' }] },
          { sku: 'B', currency: 'USD', parts: [{ sku: 'B1' }] },
        ],
        zip: '94607',
      },
    ],
    [
      'an array given by its own row, expressions per element, a row without source',
      {
        rows: [
          { target: 'lines[]', source: 'line_items[]' },
          { target: 'lines[].total', expression: '$moneyMul(quantity, price)' },
          { target: 'lines[].note' },
        ],
      },
      { lines: [{ total: 3, note: null }, { total: 3, note: null }] },
    ],
    [
      'variables and multi-line expressions',
      {
        variables: [{ name: 'count', expression: '$count(line_items)' }],
        rows: [{ target: 'summary', expression: '$count & " lines,\n" &\n  $string($sum(line_items.quantity)) & " units"' }],
      },
      { summary: '2 lines,\n3 units' },
    ],
  ])('%s: compiles, evaluates and converts back to the same spec', async (_name, spec, output) => {
    const text = specToJsonata(spec);
    expect(await preview(text, order)).toEqual({ ok: true, output });
    expect(jsonataToSpec(text)).toEqual({ ok: true, spec });
  });

  it.each<[string, MappingSpec, string]>([
    ['a target mapped twice', { rows: [{ target: 'a', source: 'x' }, { target: 'a', source: 'y' }] }, 'Row 2 (target "a"): the target is mapped twice'],
    ['a value and an object at once', { rows: [{ target: 'a', source: 'x' }, { target: 'a.b', source: 'y' }] }, 'Row 2 (target "a.b"): "a" is mapped both as an object and as a single value'],
    ['an empty path segment', { rows: [{ target: 'a..b', source: 'x' }] }, 'Row 1 (target "a..b"): the target must be a dot path such as "shipToAddress.city" or "lines[].itemNumber"'],
    ['a bad source', { rows: [{ target: 'a', source: 'x.' }] }, 'Row 1 (target "a"): the source "x." must be a dot path such as "shipping_address.city" or "line_items[].sku"'],
    [
      'an array without a source array',
      { rows: [{ target: 'lines[].sku', source: 'sku' }] },
      'The array "lines[]" has no source array: give one of its rows a source such as "line_items[].sku", or add a row { target: "lines[]", source: "line_items[]" }',
    ],
    ['a bad variable name', { rows: [], variables: [{ name: 'my var', expression: '1' }] }, 'Variable 1: "my var" is not a valid variable name (letters, digits and _)'],
  ])('rejects %s', (_name, spec, message) => {
    let error: unknown;
    try {
      specToJsonata(spec);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(MappingError);
    expect(error).toMatchObject({ code: 'MAPPING_SYNTAX', message });
  });
});

describe('jsonataToSpec', () => {
  it('turns the shared fixture mapping into rows and back into an expression with the same output', async () => {
    const result = jsonataToSpec(salesOrderMapping);
    if (!result.ok) throw new Error(result.reason);
    expect(result.spec.variables).toEqual([{ name: 'po', expression: 'note_attributes[name = "po_number"].value' }]);
    expect(result.spec.rows).toContainEqual({ target: 'lines[].itemNumber', source: 'line_items[].sku' });
    expect(result.spec.rows).toContainEqual({ target: 'shipToAddress.city', source: 'shipping_address.city' });
    expect(result.spec.rows).toContainEqual({ target: 'lines[].unitPrice', expression: '$number(price)' });
    expect(result.spec.rows).toHaveLength(20);
    const regenerated = specToJsonata(result.spec);
    expect(regenerated.trim()).toBe(salesOrderMapping.trim());
    expect(await preview(regenerated, shopifyOrder)).toEqual({ ok: true, output: expectedSalesOrder });
  });

  it.each([
    ['{ "a": x /* keep me */ + 1 }', { rows: [{ target: 'a', expression: 'x /* keep me */ + 1' }] }],
    ["{ 'single': a.b[].c }", { rows: [{ target: 'single', source: 'a.b[].c' }] }],
    ['{ "a": `first name` }', { rows: [{ target: 'a', source: 'first name' }] }],
    ['{ "a": null, "b": true, "c": "text" }', { rows: [{ target: 'a' }, { target: 'b', expression: 'true' }, { target: 'c', expression: '"text"' }] }],
    ['{ "lines": [items.{ "x": $$.currency }] }', { rows: [{ target: 'lines[]', source: 'items[]' }, { target: 'lines[].x', source: 'currency' }] }],
    ['{ "lines": [items.{ "x": sku, "y": $$.other[].z }] }', { rows: [{ target: 'lines[].x', source: 'items[].sku' }, { target: 'lines[].y', source: 'other[].z' }] }],
    ['{ "lines": [items.{ "y": $$.other[].z, "x": sku }] }', { rows: [{ target: 'lines[]', source: 'items[]' }, { target: 'lines[].y', source: 'other[].z' }, { target: 'lines[].x', source: 'items[].sku' }] }],
    ['{ "lines": [items[qty > 0].{ "x": sku }] }', { rows: [{ target: 'lines', expression: '[items[qty > 0].{ "x": sku }]' }] }],
    ['{}', { rows: [] }],
  ])('%j', (text, spec) => {
    expect(jsonataToSpec(text)).toEqual({ ok: true, spec });
  });

  it.each([
    ['name', 'The mapping cannot be shown as rows: only an object constructor { "field": … } can be shown as rows'],
    ['{ "a": 1 } ~> $merge', 'The mapping cannot be shown as rows: only an object constructor { "field": … } can be shown as rows'],
    ['{ key: 1 }', 'The mapping cannot be shown as rows: an object has a field whose name is not fixed text'],
    ['{ "a.b": 1 }', 'The mapping cannot be shown as rows: the field name "a.b" cannot be written as a target path'],
    ['{\n  /* totals */\n  "a": 1\n}', 'The mapping cannot be shown as rows: its comments between fields cannot be kept in rows'],
    ['( $x := 1; $y := 2 + 1; $x + $y )', 'The mapping cannot be shown as rows: only an object constructor { "field": … } can be shown as rows'],
    ['( $x + 1; { "a": 1 } )', 'The mapping cannot be shown as rows: only variable assignments ($name := …) may come before the object'],
    ['{ "a": 1, "a": 2 }', 'The mapping cannot be shown as rows without changing what it does'],
    ['{ "a": (1 }', 'The mapping has syntax errors'],
  ])('refuses %j', (text, reason) => {
    expect(jsonataToSpec(text)).toEqual({ ok: false, reason });
  });
});
