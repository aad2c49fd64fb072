import { argumentError, argumentProblem, expectSingle, isPlainObject } from './args.ts';
import type { LibraryCallContext, LibraryFunction } from './types.ts';

const tableRef = { fn: 'lookup', index: 1, name: 'table' };
const keyRef = { fn: 'lookup', index: 2, name: 'key' };

/** Tables bound for one evaluation (`evaluate(input, { tables })`) win over the ones given at registration. */
function findTable(name: string, context: LibraryCallContext): Record<string, unknown> {
  const bound = context.binding('tables');
  if (isPlainObject(bound)) {
    const table = bound[name];
    if (isPlainObject(table)) return table;
  }
  const table = context.tables[name];
  if (table !== undefined) return table;
  const known = [...new Set([...(isPlainObject(bound) ? Object.keys(bound) : []), ...Object.keys(context.tables)])].sort();
  throw argumentProblem(
    tableRef,
    `names a table that does not exist: ${JSON.stringify(name)}. ${known.length > 0 ? `Known tables: ${known.join(', ')}` : 'No lookup tables are configured'}`,
  );
}

function ownValue(table: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

// A key present with the value null is a deliberate mapping to null, so only a missing key takes the default.
function orDefault(value: unknown, fallback: unknown): unknown {
  return value === undefined ? fallback : value;
}

export const lookup: LibraryFunction = {
  name: 'lookup',
  signature: '$lookup(table, key, default?)',
  description:
    'Looks `key` up in a table. `table` is the name of a lookup table supplied by the host (e.g. a payment-terms or ' +
    'warehouse table configured on the flow), or an object given directly. Returns `default` (or nothing) when the key is not in the table. ' +
    "Numbers used as keys are matched as text. With an object or array of objects as the table it behaves like JSONata's built-in $lookup.",
  examples: [
    { expression: '$lookup("paymentTerms", "Net 30", "COD")', tables: { paymentTerms: { 'Net 30': 'NET30', 'Net 60': 'NET60' } }, result: 'NET30' },
    { expression: '$lookup("paymentTerms", "Due on receipt", "COD")', tables: { paymentTerms: { 'Net 30': 'NET30' } }, result: 'COD' },
    { expression: '$lookup({"CA": "West", "NY": "East"}, region)', input: { region: 'CA' }, result: 'West' },
  ],
  implementation([table, key, fallback], context) {
    const rawKey = expectSingle(keyRef, key);
    if (rawKey === undefined || rawKey === null) return fallback;
    if (typeof rawKey !== 'string' && typeof rawKey !== 'number' && typeof rawKey !== 'boolean') {
      throw argumentError(keyRef, 'text or a number', rawKey);
    }
    const k = String(rawKey);
    if (typeof table === 'string') return orDefault(ownValue(findTable(table, context), k), fallback);
    if (isPlainObject(table)) return orDefault(ownValue(table, k), fallback);
    if (Array.isArray(table)) {
      const found = table.filter(isPlainObject).map((row) => ownValue(row, k)).filter((v) => v !== undefined);
      if (found.length === 0) return fallback;
      return found.length === 1 ? found[0] : found;
    }
    if (table === undefined) return fallback;
    throw argumentError(tableRef, 'a table name or an object', table);
  },
};
