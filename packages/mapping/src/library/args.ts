import { MappingError } from '../errors.ts';

/**
 * Argument checking shared by the library functions. jsonata's own signature strings produce
 * "Argument 2 of function money does not match function signature"; analysts get a message that
 * names the function, the argument and what was received instead.
 */

export interface ArgumentRef {
  /** Library function name without the `$`. */
  fn: string;
  /** 1-based argument position. */
  index: number;
  /** Parameter name as documented, e.g. `decimals`. */
  name: string;
}

/** Short human description of a received value, for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the path matched no value)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} value${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `the text ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  if (typeof value === 'function') return 'a function';
  return 'an object';
}

export function argumentError(ref: ArgumentRef, expected: string, value: unknown): MappingError {
  return new MappingError(
    'MAPPING_ARGUMENT',
    `$${ref.fn}: argument ${ref.index} (${ref.name}) must be ${expected}, got ${describeValue(value)}`,
    { details: { functionName: ref.fn, argumentIndex: ref.index, argumentName: ref.name } },
  );
}

/** A value error that is not about the type, e.g. an unknown time zone name. */
export function argumentProblem(ref: ArgumentRef, problem: string): MappingError {
  return new MappingError('MAPPING_ARGUMENT', `$${ref.fn}: argument ${ref.index} (${ref.name}) ${problem}`, {
    details: { functionName: ref.fn, argumentIndex: ref.index, argumentName: ref.name },
  });
}

export function expectString(ref: ArgumentRef, value: unknown): string {
  if (typeof value !== 'string') throw argumentError(ref, 'text', value);
  return value;
}

export function optionalString(ref: ArgumentRef, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return expectString(ref, value);
}

export function expectInteger(ref: ArgumentRef, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw argumentError(ref, 'a whole number', value);
  return value;
}

export function optionalInteger(ref: ArgumentRef, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  return expectInteger(ref, value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * jsonata hands a path that matched several values to a function as an array (a "sequence").
 * Functions that work on one value say so instead of silently using the first.
 */
export function expectSingle(ref: ArgumentRef, value: unknown): unknown {
  if (Array.isArray(value)) {
    if (value.length === 1) return value[0];
    throw argumentError(ref, 'a single value', value);
  }
  return value;
}
