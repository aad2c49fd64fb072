import { StoreError } from './errors.ts';

/**
 * Keyset cursors: the (timestamp, id) of the last row of a page. The timestamp travels as
 * PostgreSQL's own text form (microseconds and offset intact) so it compares exactly; a JS Date
 * would drop the microseconds and make pages skip or repeat rows.
 */
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** SQL for a timestamptz column's cursor text: UTC ISO 8601 with microseconds. */
export function cursorTimeSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export interface CursorPosition {
  at: string;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw invalid(error);
  }
  if (Array.isArray(parsed) && parsed.length === 2) {
    const [at, id]: unknown[] = parsed;
    if (typeof at === 'string' && typeof id === 'string' && CURSOR_TIME.test(at)) {
      return { at, id };
    }
  }
  throw invalid(undefined);
}

function invalid(cause: unknown): StoreError {
  return new StoreError({
    code: 'STORE_INVALID_INPUT',
    message: 'cursor is not one this store returned',
    details: { field: 'cursor' },
    cause,
  });
}

export function clampLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new StoreError({
      code: 'STORE_INVALID_INPUT',
      message: `limit must be a positive integer, got ${String(limit)}`,
      details: { field: 'limit' },
    });
  }
  return Math.min(limit, max);
}
