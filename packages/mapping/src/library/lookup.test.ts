import { describe, expect, it } from 'vitest';
import { evaluateWithLibrary as run } from './test-helpers.ts';

const tables = {
  paymentTerms: { 'Net 30': 'NET30', 'Net 60': 'NET60', Prepaid: null },
  warehouses: { '1': 'MAIN', '2': 'EAST' },
};

describe('$lookup', () => {
  it.each([
    ['$lookup("paymentTerms", "Net 30")', 'NET30'],
    ['$lookup("paymentTerms", "Net 90", "COD")', 'COD'],
    ['$lookup("paymentTerms", "Prepaid", "COD")', null],
    ['$lookup("paymentTerms", "toString", "COD")', 'COD'],
    ['$lookup("warehouses", 2)', 'EAST'],
    ['$lookup("paymentTerms", nothing, "COD")', 'COD'],
    ['$lookup({"a": 1}, "a")', 1],
    ['$lookup([{"a": 1}, {"a": 2}, {"b": 3}], "a")', [1, 2]],
    ['$lookup(payment_terms, "payment_terms_name")', 'Net 30'],
  ])('%s = %j', async (expression, expected) => {
    expect(await run(expression, { payment_terms: { payment_terms_name: 'Net 30' } }, tables)).toEqual(expected);
  });

  it('leaves the field out when the key is unknown and there is no default', async () => {
    expect(await run('{"terms": $lookup("paymentTerms", "Net 90")}', {}, tables)).toEqual({});
  });

  it('names the unknown table and the known ones', async () => {
    await expect(run('$lookup("terms", "Net 30")', {}, tables)).rejects.toMatchObject({
      code: 'MAPPING_ARGUMENT',
      message: '$lookup: argument 1 (table) names a table that does not exist: "terms". Known tables: paymentTerms, warehouses',
    });
    await expect(run('$lookup("terms", "Net 30")')).rejects.toMatchObject({
      message: '$lookup: argument 1 (table) names a table that does not exist: "terms". No lookup tables are configured',
    });
  });

  it('rejects a key that is not text or a number', async () => {
    await expect(run('$lookup("paymentTerms", {"x": 1})', {}, tables)).rejects.toMatchObject({
      code: 'MAPPING_ARGUMENT',
      message: '$lookup: argument 2 (key) must be text or a number, got an object',
    });
  });
});

describe('$coalesce', () => {
  it.each([
    ['$coalesce(a, b, c)', { b: 'B' }, 'B'],
    ['$coalesce(a, b)', { a: '', b: 'B' }, 'B'],
    ['$coalesce(a, b)', { a: [], b: 'B' }, 'B'],
    ['$coalesce(a, b)', { a: false, b: 'B' }, false],
    ['$coalesce(a, b)', { a: { x: 1 }, b: 'B' }, { x: 1 }],
    ['$coalesce(a, b, "default")', { a: null, b: '  ' }, 'default'],
  ])('%s on %j = %j', async (expression, input, expected) => {
    expect(await run(expression, input)).toEqual(expected);
  });

  it('gives nothing when every argument is blank', async () => {
    expect(await run('{"x": $coalesce(a, b)}', { a: null })).toEqual({});
  });
});
