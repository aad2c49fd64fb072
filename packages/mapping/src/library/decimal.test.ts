import { describe, expect, it } from 'vitest';
import { divide, parseDecimal, round, toFixedString } from './decimal.ts';

describe('decimal', () => {
  it.each([
    [1.005, '1.005'],
    ['-0.5', '-0.5'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['+7', '7'],
    [1e21, '1000000000000000000000'],
    [1.5e-7, '0.00000015'],
    ['12E-2', '0.12'],
  ])('parses %j exactly', (input, text) => {
    const parsed = parseDecimal(input);
    expect(parsed && toFixedString(parsed)).toBe(text);
  });

  it.each(['', '.', '1,5', '1.2.3', 'abc', '--1', '1e', Number.NaN, Number.POSITIVE_INFINITY])('rejects %j', (input) => {
    expect(parseDecimal(input)).toBeUndefined();
  });

  it.each([
    ['2.675', 2, '2.68'],
    ['2.665', 2, '2.67'],
    ['-2.675', 2, '-2.68'],
    ['0.5', 0, '1'],
    ['-0.5', 0, '-1'],
    ['0.4999', 0, '0'],
    ['1', 3, '1.000'],
  ])('rounds %s to %i places half away from zero: %s', (input, places, text) => {
    const parsed = parseDecimal(input);
    expect(parsed && toFixedString(round(parsed, places))).toBe(text);
  });

  it('divides with rounding and refuses zero', () => {
    const ten = parseDecimal('10');
    const three = parseDecimal('3');
    const zero = parseDecimal('0');
    if (!ten || !three || !zero) throw new Error('parse failed');
    const q = divide(ten, three, 4);
    expect(q && toFixedString(q)).toBe('3.3333');
    expect(divide(ten, zero, 2)).toBeUndefined();
  });
});
