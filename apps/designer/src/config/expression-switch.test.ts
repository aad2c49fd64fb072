import { describe, expect, it } from 'vitest';
import type { PropSpec } from '@tributary/flow';
import { fromExpression, toExpression } from './expression-switch.ts';

const spec = (type: PropSpec['type'], extra: Partial<PropSpec> = {}): PropSpec => ({ type, label: 'x', ...extra });

describe('switching a field between a fixed value and an expression', () => {
  it.each([
    ['SO-1', '"SO-1"'],
    [42, '42'],
    [true, 'true'],
    [{ a: 1 }, '{"a":1}'],
    [undefined, ''],
  ])('%j becomes the expression %s', (value, expr) => {
    expect(toExpression(value)).toEqual({ $expr: expr });
  });

  it.each([
    ['"SO-1"', spec('string'), 'SO-1'],
    ['42', spec('integer'), 42],
    ['4.5', spec('integer'), undefined],
    ['$trigger.name', spec('string'), undefined],
    ['"b"', spec('select', { options: [{ value: 'a', label: 'A' }] }), undefined],
    ['{"a":1}', spec('json'), { a: 1 }],
  ])('%s back to a %j value gives %j', (text, s, expected) => {
    expect(fromExpression(text, s)).toEqual(expected);
  });
});
