import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Db, QueryOptions, QueryResult, Row, Sql, SqlParam, TransactionOptions } from '../db.ts';
import { StoreError, toStoreError } from '../errors.ts';

export interface PostgresDbOptions {
  databaseUrl: string;
  schema: string;
  /** Pool size; default 10. */
  poolMax?: number;
  /** Called when an idle pooled connection fails (the pool has already discarded it). */
  onPoolError?: (error: StoreError) => void;
}

/**
 * Statements are sent as named prepared statements, so each pooled connection parses and plans
 * a hot statement (createRun, upsertStep) once. The name is derived from the text: same text,
 * same name, on every connection.
 */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `trib_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    if (statementNames.size > 2000) statementNames.clear();
    statementNames.set(text, name);
  }
  return name;
}

interface Queryable {
  query(config: pg.QueryConfig<unknown[]>): Promise<pg.QueryResult<Row>>;
  query(text: string): Promise<pg.QueryResult<Row> | pg.QueryResult<Row>[]>;
}

function toResult(result: pg.QueryResult<Row>): QueryResult {
  return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
}

function sqlOver(target: Queryable, isClosed: () => boolean): Sql {
  return {
    async query(text: string, params: readonly SqlParam[] = [], options: QueryOptions = {}): Promise<QueryResult> {
      if (isClosed()) throw closedError();
      try {
        const config: pg.QueryConfig<unknown[]> =
          options.prepare === false ? { text, values: [...params] } : { name: statementName(text), text, values: [...params] };
        return toResult(await target.query(config));
      } catch (error) {
        throw toStoreError(error);
      }
    },
    async exec(text: string): Promise<void> {
      if (isClosed()) throw closedError();
      try {
        await target.query(text);
      } catch (error) {
        throw toStoreError(error);
      }
    },
  };
}

function closedError(): StoreError {
  return new StoreError({ code: 'STORE_CLOSED', message: 'the store is closed' });
}

/** Host, port and database of a connection string, without credentials. */
export function describeDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `postgres://${url.host}${url.pathname}`;
  } catch {
    return 'postgres://(unparsable url)';
  }
}

export function openPostgresDb(options: PostgresDbOptions): Db {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.poolMax ?? 10,
    options: `-c search_path=${options.schema}`,
    connectionTimeoutMillis: 10_000,
  });
  pool.on('error', (error: Error) => {
    options.onPoolError?.(toStoreError(error, 'idle PostgreSQL connection'));
  });
  let closed = false;
  const isClosed = (): boolean => closed;
  const direct = sqlOver(pool, isClosed);

  return {
    driver: 'postgres',
    location: describeDatabaseUrl(options.databaseUrl),
    schema: options.schema,
    query: direct.query,
    exec: direct.exec,
    async transaction<T>(fn: (sql: Sql) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      if (closed) throw closedError();
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw toStoreError(error);
      }
      const sql = sqlOver(client, isClosed);
      try {
        // One simple-protocol message, so a non-durable transaction costs no extra round trip.
        await sql.exec(options.durable === false ? 'BEGIN; SET LOCAL synchronous_commit TO off' : 'BEGIN');
        const result = await fn(sql);
        await sql.exec('COMMIT');
        client.release();
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
          client.release();
        } catch (rollbackError) {
          // The connection is broken; destroy it instead of returning it to the pool.
          client.release(rollbackError instanceof Error ? rollbackError : true);
        }
        throw toStoreError(error);
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      try {
        await pool.end();
      } catch (error) {
        throw toStoreError(error, 'closing the PostgreSQL pool');
      }
    },
  };
}
