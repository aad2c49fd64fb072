/**
 * The Tributary mapping function library. This entry is bundled into the sandbox isolate, so it
 * (and everything it imports) may use only ECMAScript and Intl: no jsonata import, no host APIs.
 */
import { coalesce } from './coalesce.ts';
import { countryCode } from './countries.ts';
import { dateFunctions } from './dates.ts';
import { lookup } from './lookup.ts';
import { moneyFunctions } from './money.ts';
import { splitName } from './names.ts';
import { normalizePhone } from './phone.ts';
import { stringFunctions } from './strings.ts';
import type { LibraryDoc, LibraryFunction, LookupTables } from './types.ts';

export type { LibraryCallContext, LibraryDoc, LibraryExample, LibraryFunction, LookupTables } from './types.ts';
export { MappingError, mappingErrorCodes, isMappingErrorCode } from '../errors.ts';
export type { MappingErrorCode, MappingIssue, SerializedMappingError } from '../errors.ts';

/** Every library function, in the order the designer lists them. */
export const libraryFunctions: readonly LibraryFunction[] = [
  lookup,
  coalesce,
  ...moneyFunctions,
  ...dateFunctions,
  splitName,
  normalizePhone,
  ...stringFunctions,
  countryCode,
];

/** Names (without `$`) of every library function. */
export const libraryFunctionNames: readonly string[] = libraryFunctions.map((f) => f.name);

/** JSON documentation of every function, for the designer's autocomplete and help panel. */
export const libraryDocs: readonly LibraryDoc[] = libraryFunctions.map(({ name, signature, description, examples }) => ({
  name,
  signature,
  description,
  examples,
}));

/** What jsonata passes as `this` to a registered function; only the environment is used. */
interface JsonataFocus {
  environment: { lookup(name: string): unknown };
}

/** The part of a jsonata Expression that registerLibrary needs (structural, so the isolate bundle needs no types). */
export interface RegistrableExpression {
  registerFunction(name: string, implementation: (this: JsonataFocus, ...args: unknown[]) => unknown, signature?: string): void;
}

export interface RegisterLibraryOptions {
  /** Lookup tables for `$lookup("name", key)`. Tables bound at evaluation as `tables` take precedence. */
  tables?: LookupTables;
}

/**
 * Registers every library function on a compiled jsonata expression.
 *
 * @example
 * const expression = jsonata('$lookup("paymentTerms", payment_terms.payment_terms_name, "COD")');
 * registerLibrary(expression, { tables: { paymentTerms: { 'Net 30': 'NET30' } } });
 * await expression.evaluate(order); // "NET30"
 */
export function registerLibrary<E extends RegistrableExpression>(expression: E, options: RegisterLibraryOptions = {}): E {
  const tables = options.tables ?? {};
  for (const fn of libraryFunctions) {
    // No jsonata signature string: arguments are checked by each function so that errors name the
    // function and the argument (MAPPING_ARGUMENT) instead of jsonata's generic T0410.
    expression.registerFunction(fn.name, function (this: JsonataFocus, ...args: unknown[]) {
      return fn.implementation(args, { tables, binding: (name) => this.environment.lookup(name) });
    });
  }
  return expression;
}
