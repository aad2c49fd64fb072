import { describe, expect, it } from 'vitest';
import { addRowFromSource, addTarget, dropHint, mapSourceToTarget, removeRow, renameTarget, setRowExpression } from './mapping-rows.ts';
import type { MappingRow } from './mapping-rows.ts';

describe('dropping a source field on a target', () => {
  it('fills an existing target row and replaces its expression', () => {
    const rows: MappingRow[] = [{ target: 'externalDocumentNumber', expression: '"x"' }, { target: 'currencyCode' }];
    expect(mapSourceToTarget(rows, 'name', 'externalDocumentNumber')).toEqual([{ target: 'externalDocumentNumber', source: 'name' }, { target: 'currencyCode' }]);
  });

  it('maps arrays row by row: line_items[].sku onto lines[].itemNumber', () => {
    const rows = mapSourceToTarget([{ target: 'lines[].itemNumber' }], 'line_items[].sku', 'lines[].itemNumber');
    expect(rows).toEqual([{ target: 'lines[].itemNumber', source: 'line_items[].sku' }]);
  });

  it('a target not in the table yet gets a new row', () => {
    expect(mapSourceToTarget([], 'email', 'customerEmail')).toEqual([{ target: 'customerEmail', source: 'email' }]);
  });
});

describe('dropping a source field on “new target”', () => {
  it.each([
    ['a top-level field keeps its name', [], 'email', 'email'],
    ['a nested field uses its leaf name', [], 'shipping_address.city', 'city'],
    ['a taken name gets a number', [{ target: 'city', source: 'billing_address.city' }], 'shipping_address.city', 'city2'],
    ['an array element field joins the output array built from the same source array', [{ target: 'lines[].itemNumber', source: 'line_items[].sku' }], 'line_items[].quantity', 'lines[].quantity'],
    ['an array element field with no output array yet goes into one named like the source', [], 'line_items[].sku', 'line_items[].sku'],
    ['a whole array becomes an array target', [], 'line_items[]', 'line_items[]'],
  ] as Array<[string, MappingRow[], string, string]>)('%s', (_name, rows, source, target) => {
    const result = addRowFromSource(rows, source);
    expect(result.target).toBe(target);
    expect(result.rows[result.rows.length - 1]).toEqual({ target, source });
    expect(result.rows).toHaveLength(rows.length + 1);
  });
});

describe('editing the target list', () => {
  const rows: MappingRow[] = [{ target: 'a', source: 'x' }, { target: 'b' }];

  it('adds a target once', () => {
    expect(addTarget(rows, ' c ')).toEqual([...rows, { target: 'c' }]);
    expect(addTarget(rows, 'a')).toEqual(rows);
    expect(addTarget(rows, '  ')).toEqual(rows);
  });

  it('renames only to a free name', () => {
    expect(renameTarget(rows, 'a', 'z')).toEqual([{ target: 'z', source: 'x' }, { target: 'b' }]);
    expect(renameTarget(rows, 'a', 'b')).toEqual(rows);
  });

  it('removes a row', () => {
    expect(removeRow(rows, 'a')).toEqual([{ target: 'b' }]);
  });

  it('switches a row to an expression and back', () => {
    const withExpr = setRowExpression(rows, 'a', '$uppercase(x)');
    expect(withExpr[0]).toEqual({ target: 'a', expression: '$uppercase(x)' });
    expect(setRowExpression(withExpr, 'a', undefined)[0]).toEqual({ target: 'a' });
  });
});

describe('drop hints', () => {
  it.each([
    ['line_items[].sku', 'lines[].itemNumber', false],
    ['name', 'externalDocumentNumber', false],
    ['line_items[].sku', 'skus', true],
    ['currency', 'lines[].currencyCode', true],
  ])('%s → %s warns: %s', (source, target, warns) => {
    expect(dropHint(source, target) !== null).toBe(warns);
  });
});
