/** A row as the driver returns it; mapped to typed objects by src/rows.ts. */
export type Row = Readonly<Record<string, unknown>>;

export interface QueryResult {
  rows: Row[];
  /** Rows inserted, updated or deleted by the statement. */
  rowCount: number;
}

/** Parameters are pre-serialised by the caller: jsonb as JSON text, timestamps as Date, arrays as arrays. */
export type SqlParam = string | number | boolean | Date | null | readonly string[];

/** What one statement at a time needs: the pool, or a transaction's connection. */
export interface Sql {
  query(text: string, params?: readonly SqlParam[]): Promise<QueryResult>;
  /** Several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
}

/**
 * The seam between the SQL the store writes once and the two drivers.
 * Every method rejects with StoreError only.
 */
export interface Db extends Sql {
  readonly driver: 'pglite' | 'postgres';
  readonly location: string;
  readonly schema: string;
  /** Runs `fn` in BEGIN/COMMIT on one connection; rolls back if it throws. */
  transaction<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function isValidSchemaName(name: string): boolean {
  return IDENTIFIER.test(name);
}
