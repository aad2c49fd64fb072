import jsonata from 'jsonata';
import { MappingError } from '../errors.ts';
import { registerLibrary } from './index.ts';
import type { LookupTables } from './types.ts';

/** Evaluates an expression with the library registered, as a mapping would. */
export async function evaluateWithLibrary(expression: string, input: unknown = {}, tables: LookupTables = {}): Promise<unknown> {
  return registerLibrary(jsonata(expression), { tables }).evaluate(input);
}

/** The MappingError an expression fails with; throws if it succeeds or fails differently. */
export async function libraryError(expression: string, input: unknown = {}): Promise<MappingError> {
  let result: unknown;
  try {
    result = await evaluateWithLibrary(expression, input);
  } catch (error) {
    if (error instanceof MappingError) return error;
    throw error;
  }
  throw new Error(`expected ${expression} to fail, got ${JSON.stringify(result)}`);
}
