import type { SqlParam } from './db.ts';
import { StoreError } from './errors.ts';

/** The wire protocol counts bind parameters in 16 bits; one statement can carry at most this many. */
export const MAX_PARAMS = 65_535;

/** A column of a VALUES list: a type to cast the placeholder to, or a template around it. */
export type ValuesColumn = string | ((placeholder: string) => string);

/**
 * Placeholders for a multi-row VALUES list, `($1::text, $2::int), ($3::text, $4::int)`, appending
 * every row's values to `params`. Each placeholder is cast: VALUES outside INSERT resolves column
 * types across rows, and untyped parameters would all become text.
 */
export function valuesList(rows: readonly (readonly SqlParam[])[], casts: readonly ValuesColumn[], params: SqlParam[]): string {
  const tuples: string[] = [];
  for (const row of rows) {
    if (row.length !== casts.length) {
      throw new StoreError({ code: 'STORE_INTERNAL', message: `row has ${row.length} values for ${casts.length} columns` });
    }
    const placeholders: string[] = [];
    for (const [i, value] of row.entries()) {
      params.push(value);
      const column = casts[i] ?? 'text';
      const placeholder = `$${params.length}`;
      placeholders.push(typeof column === 'string' ? `${placeholder}::${column}` : column(placeholder));
    }
    tuples.push(`(${placeholders.join(', ')})`);
  }
  return tuples.join(', ');
}

/** Splits `items` into runs of at most `size` (size >= 1). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Rows per statement: at most `preferred`, and never more parameters than the protocol allows. */
export function rowsPerStatement(columns: number, preferred: number): number {
  return Math.max(1, Math.min(preferred, Math.floor(MAX_PARAMS / columns)));
}

/** A string key for a composite key; NUL cannot occur in PostgreSQL text, so parts never run together. */
export function compositeKey(...parts: readonly (string | number)[]): string {
  return parts.join('\u0000');
}

/** Code-unit order: deterministic on every process, which is all lock ordering needs. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
