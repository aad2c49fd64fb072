import type { Db, SqlParam } from '../db.ts';
import { StoreError } from '../errors.ts';

export interface RepoContext {
  db: Db;
  /** Inputs/outputs whose JSON text is larger than this go to the blobs table. */
  payloadCapBytes: number;
  /** Length (in characters) of the preview kept on a step whose payload went to a blob. */
  previewChars: number;
}

export function notFound(what: string, details: Record<string, unknown>): StoreError {
  return new StoreError({ code: 'STORE_NOT_FOUND', message: `${what} not found`, details });
}

export function invalidInput(field: string, message: string): StoreError {
  return new StoreError({ code: 'STORE_INVALID_INPUT', message, details: { field } });
}

/** Builds `SET a = $n, b = $m` lists for partial updates; params are appended to `params`. */
export class Assignments {
  readonly parts: string[] = [];
  readonly params: SqlParam[];

  constructor(params: SqlParam[]) {
    this.params = params;
  }

  set(column: string, value: SqlParam, cast = ''): void {
    this.params.push(value);
    this.parts.push(`${column} = $${this.params.length}${cast}`);
  }

  raw(sql: string): void {
    this.parts.push(sql);
  }

  toSql(): string {
    return this.parts.join(', ');
  }
}
