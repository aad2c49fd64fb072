/** A row as the driver returns it; mapped to typed objects by src/rows.ts. */
export type Row = Readonly<Record<string, unknown>>;

export interface QueryResult {
  rows: Row[];
  /** Rows inserted, updated or deleted by the statement. */
  rowCount: number;
}

/** Parameters are pre-serialised by the caller: json and jsonb as JSON text, timestamps as Date, arrays as arrays. */
export type SqlParam = string | number | boolean | Date | null | readonly string[];

export interface QueryOptions {
  /**
   * PostgreSQL: false sends the statement unnamed (parsed and planned every time) instead of as a
   * named prepared statement. Multi-row batch statements vary in text with their row count; naming
   * each variant would leave an unbounded number of prepared statements on every pooled connection.
   * PGlite ignores it.
   */
  prepare?: boolean;
}

export interface TransactionOptions {
  /**
   * false: `SET LOCAL synchronous_commit = off`. COMMIT returns before the WAL is flushed, so a
   * server crash can lose the most recent such transactions (at most 3 × wal_writer_delay), never corrupt them.
   * Default true.
   */
  durable?: boolean;
}

/** What one statement at a time needs: the pool, or a transaction's connection. */
export interface Sql {
  query(text: string, params?: readonly SqlParam[], options?: QueryOptions): Promise<QueryResult>;
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
  transaction<T>(fn: (sql: Sql) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function isValidSchemaName(name: string): boolean {
  return IDENTIFIER.test(name);
}
