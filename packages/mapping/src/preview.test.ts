import { describe, expect, it } from 'vitest';
import { expectedSalesOrder, salesOrderMapping, shopifyOrder } from '../test/fixtures.ts';
import { preview } from './preview.ts';

describe('preview', () => {
  it('maps the fixture Shopify order to the expected ERP sales order', async () => {
    expect(await preview(salesOrderMapping, shopifyOrder)).toEqual({ ok: true, output: expectedSalesOrder });
  });

  it('accepts the sample as JSON text', async () => {
    expect(await preview(salesOrderMapping, JSON.stringify(shopifyOrder, null, 2))).toEqual({ ok: true, output: expectedSalesOrder });
  });

  it('uses tables and bindings', async () => {
    const result = await preview('{ "terms": $lookup("paymentTerms", payment_terms.payment_terms_name, "COD"), "flow": $vars.flowName }', shopifyOrder, {
      tables: { paymentTerms: { 'Net 30': 'NET30' } },
      bindings: { vars: { flowName: 'orders' } },
    });
    expect(result).toEqual({ ok: true, output: { terms: 'NET30', flow: 'orders' } });
  });

  it('returns plain JSON: sequences become arrays, nothing stays undefined', async () => {
    expect(await preview('line_items.sku', shopifyOrder)).toEqual({ ok: true, output: ['TR2-SLT-10', 'ASJ-NVY-M', 'MCS3-CHR'] });
    expect(await preview('nothing_here', shopifyOrder)).toEqual({ ok: true, output: undefined });
    expect(await preview('$uppercase', {})).toEqual({ ok: false, errors: [{ code: 'MAPPING_RUNTIME', message: 'The mapping produced a function instead of data' }] });
  });

  it.each([
    [
      '{\n  "a": $money(total_weight > 0)\n}',
      {
        code: 'MAPPING_ARGUMENT',
        message: '$money: argument 1 (value) must be a number or a decimal text such as "12.50", got boolean true',
        functionName: 'money',
        line: 2,
        column: 8,
        offset: 9,
      },
    ],
    ['{ "a": name + 1 }', { code: 'MAPPING_RUNTIME', message: 'The left side of the "+" operator must evaluate to a number', line: 1, column: 13, offset: 12 }],
    ['$substring(name, "1")', { code: 'MAPPING_ARGUMENT', message: '$substring: argument 2 has the wrong type', functionName: 'substring', line: 1, column: 1, offset: 0 }],
    ['$lookup("terms", "x")', {
      code: 'MAPPING_ARGUMENT',
      message: '$lookup: argument 1 (table) names a table that does not exist: "terms". No lookup tables are configured',
      functionName: 'lookup',
      line: 1,
      column: 1,
      offset: 0,
    }],
    ['( $f := "text"; $f(1) )', { code: 'MAPPING_UNKNOWN_FUNCTION', message: 'Unknown function $f', functionName: 'f', line: 1, column: 17, offset: 16 }],
    ['$error("custom stop")', { code: 'MAPPING_RUNTIME', message: 'custom stop', line: 1, column: 1, offset: 0 }],
  ])('reports the runtime error of %j with its position', async (text, issue) => {
    expect(await preview(text, shopifyOrder)).toEqual({ ok: false, errors: [issue] });
  });

  it('reports compile errors without evaluating', async () => {
    const result = await preview('{ "a": $nope(1) ', shopifyOrder);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.code)).toEqual(['MAPPING_UNKNOWN_FUNCTION', 'MAPPING_SYNTAX']);
  });

  it.each([
    ['{\n  "a": 1,\n  "b": 2,\n}', 4, 1, 'Expected a property name in double quotes, found "}"'],
    ['{"a": 1 "b": 2}', 1, 9, 'Expected "," or "}" after a property value, found "\\""'],
    ['[1, 2', 1, 6, 'Expected "," or "]" after an array element, found the end of the text'],
    ["{'a': 1}", 1, 2, 'Expected a property name in double quotes, found "\'"'],
    ['{"a": "line\nbreak"}', 1, 12, 'Line breaks and control characters must be escaped inside text'],
    ['{"a": tru}', 1, 7, 'Unexpected "t": expected a JSON value'],
    ['{"a": 1} x', 1, 10, 'Unexpected "x" after the end of the JSON value'],
    ['{"a": "\\x"}', 1, 8, 'Invalid escape "\\x" in text'],
    ['', 1, 1, 'The sample is empty'],
  ])('rejects the non-JSON sample %j with MAPPING_SAMPLE_INVALID at %i:%i', async (sample, line, column, detail) => {
    const result = await preview('name', sample);
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          code: 'MAPPING_SAMPLE_INVALID',
          message: `The sample is not valid JSON at line ${line}, column ${column}: ${detail}`,
          line,
          column,
          offset: expect.any(Number),
        },
      ],
    });
  });

  it('stops a mapping that never ends', async () => {
    const result = await preview('( $loop := function($n) { $loop($n + 1) }; $loop(0) )', {}, { timeoutMs: 50 });
    expect(result).toMatchObject({ ok: false, errors: [{ code: 'MAPPING_TIMEOUT' }] });
  });
});
