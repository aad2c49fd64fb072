import type { Row } from './db.ts';
import { StoreError } from './errors.ts';
import type { JsonValue } from './json.ts';
import type { StoredError } from './types.ts';

/**
 * Rows arrive as `unknown` values; these readers check each column's type so a schema drift
 * shows up as STORE_INTERNAL naming the column instead of as a wrong value further on.
 */
function bad(column: string, expected: string, value: unknown): StoreError {
  return new StoreError({
    code: 'STORE_INTERNAL',
    message: `column ${column}: expected ${expected}, got ${value === null ? 'null' : typeof value}`,
    details: { column },
  });
}

export function str(row: Row, column: string): string {
  const v = row[column];
  if (typeof v !== 'string') throw bad(column, 'text', v);
  return v;
}

export function strOrNull(row: Row, column: string): string | null {
  const v = row[column];
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') throw bad(column, 'text', v);
  return v;
}

export function int(row: Row, column: string): number {
  const v = row[column];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  // int8 and numeric arrive as strings from node-postgres.
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  if (typeof v === 'bigint') return Number(v);
  throw bad(column, 'number', v);
}

export function intOrNull(row: Row, column: string): number | null {
  const v = row[column];
  if (v === null || v === undefined) return null;
  return int(row, column);
}

export function bool(row: Row, column: string): boolean {
  const v = row[column];
  if (typeof v !== 'boolean') throw bad(column, 'boolean', v);
  return v;
}

export function date(row: Row, column: string): Date {
  const v = row[column];
  if (v instanceof Date) return v;
  if (typeof v === 'string') {
    const d = new Date(v);
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw bad(column, 'timestamptz', v);
}

export function dateOrNull(row: Row, column: string): Date | null {
  const v = row[column];
  if (v === null || v === undefined) return null;
  return date(row, column);
}

function isJson(value: unknown): value is JsonValue {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (Array.isArray(value)) return value.every(isJson);
      return Object.values(value).every(isJson);
    default:
      return false;
  }
}

/** A json or jsonb column; SQL NULL reads as null. Values come from JSON.parse, so the walk is a cheap guard. */
export function json(row: Row, column: string): JsonValue {
  const v = row[column];
  if (v === undefined) return null;
  if (!isJson(v)) throw bad(column, 'json', v);
  return v;
}

/** A jsonb array of strings (such as a step's ports); SQL NULL reads as null. */
export function stringArrayOrNull(row: Row, column: string): string[] | null {
  const v = json(row, column);
  if (v === null) return null;
  if (!Array.isArray(v)) throw bad(column, 'array of text', v);
  const out: string[] = [];
  for (const item of v) {
    if (typeof item !== 'string') throw bad(column, 'array of text', item);
    out.push(item);
  }
  return out;
}

export function jsonObject(row: Row, column: string): { [key: string]: JsonValue } {
  const v = json(row, column);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(column, 'json object', v);
  return v;
}

export function storedError(row: Row, column: string): StoredError | null {
  const v = json(row, column);
  if (v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw bad(column, 'error object', v);
  const { code, kind, retryable, message, details } = v;
  if (
    typeof code !== 'string' ||
    (kind !== 'user' && kind !== 'transient' && kind !== 'internal') ||
    typeof retryable !== 'boolean' ||
    typeof message !== 'string'
  ) {
    throw bad(column, '{code, kind, retryable, message}', v);
  }
  return details === undefined ? { code, kind, retryable, message } : { code, kind, retryable, message, details };
}

export function oneOf<T extends string>(row: Row, column: string, allowed: readonly T[]): T {
  const v = str(row, column);
  const found = allowed.find((a) => a === v);
  if (found === undefined) throw bad(column, allowed.join('|'), v);
  return found;
}

/** Serialises a value for a `$n::json` or `$n::jsonb` parameter. Undefined means SQL NULL. */
export function toJsonParam(value: JsonValue | undefined): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** Like toJsonParam, but JSON null also becomes SQL NULL (for optional columns such as `error`). */
export function toNullableJsonParam(value: JsonValue | undefined): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** Serialises a recorded error for a `$n::json` parameter; null and undefined become SQL NULL. */
export function toErrorParam(error: StoredError | null | undefined): string | null {
  return error === undefined || error === null ? null : JSON.stringify(error);
}
