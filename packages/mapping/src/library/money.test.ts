import { describe, expect, it } from 'vitest';
import { evaluateWithLibrary as run, libraryError } from './test-helpers.ts';

describe('$money', () => {
  it.each([
    ['$money(1.005)', 1.01],
    ['$money("1.005")', 1.01],
    ['$money(2.675)', 2.68],
    ['$money(1.045)', 1.05],
    ['$money(-1.005)', -1.01],
    ['$money(-0.004)', 0],
    ['$money(0.125, 2)', 0.13],
    ['$money(1234.5)', 1234.5],
    ['$money("  42.10 ")', 42.1],
    ['$money("1e2")', 100],
    ['$money(1.5e-7, 7)', 0.0000002],
    ['$money(2.5, 0)', 3],
    ['$money(-2.5, 0)', -3],
    ['$money(0.1 + 0.2)', 0.3],
    ['$money("")', null],
    ['$money(null)', null],
    ['$exists($money(nothing))', false],
  ])('%s = %j', async (expression, expected) => {
    expect(await run(expression)).toBe(expected);
  });

  it.each([
    ['$moneyString(1.005)', '1.01'],
    ['$moneyString(-1.5, 0)', '-2'],
    ['$moneyString(-0.001)', '0.00'],
    ['$moneyString(100)', '100.00'],
    ['$moneyString("123456789012345678.015")', '123456789012345678.02'],
    ['$moneyString(1e21)', '1000000000000000000000.00'],
    ['$moneyString(0.000001, 6)', '0.000001'],
  ])('%s = %j', async (expression, expected) => {
    expect(await run(expression)).toBe(expected);
  });

  it.each([
    ['$moneyAdd(0.1, 0.2, 0.3)', 0.6],
    ['$moneyAdd([0.1, 0.2], "0.3", null)', 0.6],
    ['$moneyAdd()', 0],
    ['$moneySum(["51.00", "40.80", "0.30"])', 92.1],
    ['$moneySum("1.10")', 1.1],
    ['$moneySub(1, 0.9)', 0.1],
    ['$moneySub("10", null)', null],
    ['$moneyMul(3, 0.1)', 0.3],
    ['$moneyMul("42.50", 24)', 1020],
    ['$moneyMul(0.5, 0.05)', 0.03],
    ['$moneyMul(-0.5, 0.05)', -0.03],
    ['$moneyDiv(1, 8)', 0.13],
    ['$moneyDiv(-1, 8)', -0.13],
    ['$moneyDiv(100, -3)', -33.33],
    ['$moneyDiv(0.3, 0.1, 0)', 3],
  ])('%s = %j', async (expression, expected) => {
    expect(await run(expression)).toBe(expected);
  });

  it.each([
    ['$money("12,50")', 1, 'value', '$money: argument 1 (value) must be a number or a decimal text such as "12.50", got the text "12,50"'],
    ['$money("$12")', 1, 'value', '$money: argument 1 (value) must be a number or a decimal text such as "12.50", got the text "$12"'],
    ['$money(1, 1.5)', 2, 'decimals', '$money: argument 2 (decimals) must be a whole number, got number 1.5'],
    ['$money(1, 13)', 2, 'decimals', '$money: argument 2 (decimals) must be between 0 and 12, got 13'],
    ['$money([1, 2])', 1, 'value', '$money: argument 1 (value) must be a single value, got an array of 2 values'],
    ['$moneyDiv(1, 0)', 2, 'b', '$moneyDiv: argument 2 (b) must not be zero'],
    ['$moneyAdd(1, {"a": 1})', 2, 'value', '$moneyAdd: argument 2 (value) must be a number or a decimal text such as "12.50", got an object'],
  ])('%s fails with MAPPING_ARGUMENT', async (expression, index, name, message) => {
    const error = await libraryError(expression);
    expect(error.code).toBe('MAPPING_ARGUMENT');
    expect(error.details).toMatchObject({ argumentIndex: index, argumentName: name });
    expect(error.message).toBe(message);
  });

  it('sums Shopify discount allocations without float error', async () => {
    const order = { line_items: [{ discount_allocations: [{ amount: '0.10' }, { amount: '0.20' }] }] };
    expect(await run('$sum(line_items.discount_allocations.$number(amount))', order)).not.toBe(0.3);
    expect(await run('$moneySum(line_items.discount_allocations.amount)', order)).toBe(0.3);
  });
});
