import { type ArgumentRef, argumentError, argumentProblem, expectSingle, optionalInteger } from './args.ts';
import { type Decimal, add, divide, multiply, negate, parseDecimal, round, toFixedString, toNumber } from './decimal.ts';
import type { LibraryFunction } from './types.ts';

const maxDecimals = 12;

/**
 * Reads one money argument. undefined (no value) and null pass through as `undefined`/`null`
 * so a missing price yields a missing field instead of a failed run; text that is empty after
 * trimming counts as null.
 */
function readAmount(ref: ArgumentRef, raw: unknown): Decimal | null | undefined {
  const value = expectSingle(ref, raw);
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value === 'string' && value.trim() === '') return null;
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw argumentError(ref, 'a number or a decimal text such as "12.50"', value);
  }
  const parsed = parseDecimal(value);
  if (parsed === undefined) throw argumentError(ref, 'a number or a decimal text such as "12.50"', value);
  return parsed;
}

function readDecimals(ref: ArgumentRef, raw: unknown): number {
  const decimals = optionalInteger(ref, raw) ?? 2;
  if (decimals < 0 || decimals > maxDecimals) throw argumentProblem(ref, `must be between 0 and ${maxDecimals}, got ${decimals}`);
  return decimals;
}

/** Collects the amounts of a list argument: arrays are flattened one level, missing values skipped. */
function readAmounts(fn: string, args: unknown[]): Decimal[] {
  const amounts: Decimal[] = [];
  args.forEach((arg, i) => {
    const items = Array.isArray(arg) ? arg : [arg];
    for (const item of items) {
      const amount = readAmount({ fn, index: i + 1, name: 'value' }, item);
      if (amount !== undefined && amount !== null) amounts.push(amount);
    }
  });
  return amounts;
}

function sum(amounts: Decimal[]): Decimal {
  return amounts.reduce(add, { units: 0n, scale: 0 });
}

export const money: LibraryFunction = {
  name: 'money',
  signature: '$money(value, decimals?)',
  description:
    'Rounds an amount (number or decimal text) to `decimals` places (default 2) using half-up rounding away from zero, ' +
    'computed on the decimal digits so there is no binary floating-point error. Returns a number. ' +
    'A missing value stays missing; null or empty text gives null.',
  examples: [
    { expression: '$money(1.005)', result: 1.01 },
    { expression: '$money("2.675")', result: 2.68 },
    { expression: '$money(-2.675)', result: -2.68 },
    { expression: '$money("19.999", 0)', result: 20 },
    { expression: '$money(price)', input: { price: '42.5' }, result: 42.5 },
  ],
  implementation([value, decimals]) {
    const amount = readAmount({ fn: 'money', index: 1, name: 'value' }, value);
    const places = readDecimals({ fn: 'money', index: 2, name: 'decimals' }, decimals);
    if (amount === undefined || amount === null) return amount;
    return toNumber(round(amount, places));
  },
};

export const moneyString: LibraryFunction = {
  name: 'moneyString',
  signature: '$moneyString(value, decimals?)',
  description:
    'Like $money but returns text with exactly `decimals` fraction digits (default 2), for systems that want amounts as strings. ' +
    'Never uses exponent notation.',
  examples: [
    { expression: '$moneyString(1840)', result: '1840.00' },
    { expression: '$moneyString("1.005")', result: '1.01' },
    { expression: '$moneyString(0.1 + 0.2)', result: '0.30' },
    { expression: '$moneyString(12.3456, 3)', result: '12.346' },
  ],
  implementation([value, decimals]) {
    const amount = readAmount({ fn: 'moneyString', index: 1, name: 'value' }, value);
    const places = readDecimals({ fn: 'moneyString', index: 2, name: 'decimals' }, decimals);
    if (amount === undefined || amount === null) return amount;
    return toFixedString(round(amount, places));
  },
};

export const moneyAdd: LibraryFunction = {
  name: 'moneyAdd',
  signature: '$moneyAdd(a, b, ...)',
  description:
    'Adds amounts exactly (numbers or decimal text; arrays are added element by element). Missing and null values are skipped. ' +
    'Returns a number; 0 when there is nothing to add.',
  examples: [
    { expression: '$moneyAdd(0.1, 0.2)', result: 0.3 },
    { expression: '$moneyAdd("19.99", "5.01", 0.5)', result: 25.5 },
    { expression: '$moneyAdd(total, shipping)', input: { total: '100.10' }, result: 100.1 },
  ],
  implementation(args) {
    return toNumber(sum(readAmounts('moneyAdd', args)));
  },
};

export const moneySum: LibraryFunction = {
  name: 'moneySum',
  signature: '$moneySum(values)',
  description:
    'Exact sum of an array of amounts (numbers or decimal text), e.g. all discount allocations of a line. ' +
    'Missing and null values are skipped. Returns a number; 0 for an empty array.',
  examples: [
    { expression: '$moneySum(["51.00", "40.80", "0.30"])', result: 92.1 },
    { expression: '$moneySum(lines.amount)', input: { lines: [{ amount: 0.1 }, { amount: 0.2 }] }, result: 0.3 },
    { expression: '$moneySum([])', result: 0 },
  ],
  implementation([values]) {
    return toNumber(sum(readAmounts('moneySum', [values])));
  },
};

export const moneySub: LibraryFunction = {
  name: 'moneySub',
  signature: '$moneySub(a, b)',
  description: 'Exact difference a − b of two amounts. Returns a number; missing if either amount is missing, null if either is null.',
  examples: [
    { expression: '$moneySub(0.3, 0.1)', result: 0.2 },
    { expression: '$moneySub("1932.53", "134.63")', result: 1797.9 },
  ],
  implementation([a, b]) {
    const left = readAmount({ fn: 'moneySub', index: 1, name: 'a' }, a);
    const right = readAmount({ fn: 'moneySub', index: 2, name: 'b' }, b);
    if (left === undefined || right === undefined) return undefined;
    if (left === null || right === null) return null;
    return toNumber(add(left, negate(right)));
  },
};

export const moneyMul: LibraryFunction = {
  name: 'moneyMul',
  signature: '$moneyMul(a, b, decimals?)',
  description:
    'Multiplies two amounts exactly (e.g. quantity × unit price, or amount × tax rate) and rounds half-up to `decimals` places (default 2). ' +
    'Returns a number; missing if either amount is missing, null if either is null.',
  examples: [
    { expression: '$moneyMul(24, "42.50")', result: 1020 },
    { expression: '$moneyMul("19.99", 0.0775)', result: 1.55 },
    { expression: '$moneyMul(1.15, 1.15, 4)', result: 1.3225 },
  ],
  implementation([a, b, decimals]) {
    const left = readAmount({ fn: 'moneyMul', index: 1, name: 'a' }, a);
    const right = readAmount({ fn: 'moneyMul', index: 2, name: 'b' }, b);
    const places = readDecimals({ fn: 'moneyMul', index: 3, name: 'decimals' }, decimals);
    if (left === undefined || right === undefined) return undefined;
    if (left === null || right === null) return null;
    return toNumber(round(multiply(left, right), places));
  },
};

export const moneyDiv: LibraryFunction = {
  name: 'moneyDiv',
  signature: '$moneyDiv(a, b, decimals?)',
  description:
    'Divides a by b (e.g. line total ÷ quantity) and rounds half-up to `decimals` places (default 2). Dividing by zero is an argument error. ' +
    'Returns a number; missing if either amount is missing, null if either is null.',
  examples: [
    { expression: '$moneyDiv(10, 3)', result: 3.33 },
    { expression: '$moneyDiv("1020.00", 24)', result: 42.5 },
    { expression: '$moneyDiv(2, 3, 4)', result: 0.6667 },
  ],
  implementation([a, b, decimals]) {
    const left = readAmount({ fn: 'moneyDiv', index: 1, name: 'a' }, a);
    const divisorRef = { fn: 'moneyDiv', index: 2, name: 'b' };
    const right = readAmount(divisorRef, b);
    const places = readDecimals({ fn: 'moneyDiv', index: 3, name: 'decimals' }, decimals);
    if (left === undefined || right === undefined) return undefined;
    if (left === null || right === null) return null;
    const quotient = divide(left, right, places);
    if (quotient === undefined) throw argumentProblem(divisorRef, 'must not be zero');
    return toNumber(quotient);
  },
};

export const moneyFunctions: LibraryFunction[] = [money, moneyString, moneyAdd, moneySum, moneySub, moneyMul, moneyDiv];
