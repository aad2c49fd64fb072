/**
 * Exact decimal arithmetic on BigInt, enough for money: parse, add, multiply, divide and round.
 * Binary floats cannot hold 1.005 exactly (it is 1.00499999999999989…), so `Math.round(x * 100) / 100`
 * rounds it down; working on the decimal digits the analyst sees gives the expected 1.01.
 */

/** value = units / 10^scale */
export interface Decimal {
  units: bigint;
  scale: number;
}

const decimalPattern = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses a JSON number or a decimal string ("12", "-0.5", "1.2e3", " 42.10 ").
 * Numbers go through their shortest round-trip text, so 1.005 is read as the decimal 1.005.
 * Returns undefined for anything else (thousands separators, currency symbols, NaN, Infinity).
 */
export function parseDecimal(value: number | string): Decimal | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    text = String(value);
  } else {
    text = value.trim();
  }
  const match = decimalPattern.exec(text);
  if (!match) return undefined;
  const [, sign, intPart = '', fracPart = '', exponent] = match;
  if (intPart === '' && fracPart === '') return undefined;
  const exp = exponent === undefined ? 0 : Number(exponent);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 1000) return undefined;
  let units = BigInt(`${intPart}${fracPart}` || '0');
  let scale = fracPart.length - exp;
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  if (sign === '-') units = -units;
  return { units, scale };
}

function rescale(value: Decimal, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

export function add(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale) + rescale(b, scale), scale };
}

export function negate(a: Decimal): Decimal {
  return { units: -a.units, scale: a.scale };
}

export function multiply(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** Divides n by d with half-up (away from zero) rounding of |n/d|. d must not be 0. */
function divideRounded(n: bigint, d: bigint): bigint {
  const negative = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  let q = an / ad;
  const r = an % ad;
  if (r * 2n >= ad) q += 1n;
  return negative ? -q : q;
}

/**
 * Rounds to `decimals` places, half away from zero ("commercial" rounding, what ERPs and
 * invoices use): 2.675 -> 2.68, -2.675 -> -2.68, 2.665 -> 2.67.
 */
export function round(value: Decimal, decimals: number): Decimal {
  if (value.scale <= decimals) return { units: rescale(value, decimals), scale: decimals };
  return { units: divideRounded(value.units, 10n ** BigInt(value.scale - decimals)), scale: decimals };
}

/** a / b rounded half away from zero to `decimals` places; undefined when b is zero. */
export function divide(a: Decimal, b: Decimal, decimals: number): Decimal | undefined {
  if (b.units === 0n) return undefined;
  // a/b = (ua / 10^sa) / (ub / 10^sb); scaled by 10^decimals.
  const exp = b.scale + decimals - a.scale;
  let n = a.units;
  let d = b.units;
  if (exp >= 0) n *= 10n ** BigInt(exp);
  else d *= 10n ** BigInt(-exp);
  return { units: divideRounded(n, d), scale: decimals };
}

/** Plain decimal text with exactly `scale` fraction digits; never exponent notation, never "-0". */
export function toFixedString(value: Decimal): string {
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, '0');
  const whole = digits.slice(0, digits.length - value.scale);
  const fraction = digits.slice(digits.length - value.scale);
  const body = value.scale > 0 ? `${whole}.${fraction}` : whole;
  return negative ? `-${body}` : body;
}

/** The nearest JSON number; exact for money amounts up to 15 significant digits. */
export function toNumber(value: Decimal): number {
  const n = Number(toFixedString(value));
  return Object.is(n, -0) ? 0 : n;
}
