import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Db, QueryResult, Row, Sql, SqlParam, TransactionOptions } from '../db.ts';
import { StoreError, toStoreError } from '../errors.ts';
import { lockDirectory } from './dir-lock.ts';
import { SerialQueue } from './serial-queue.ts';

export const MEMORY = 'memory://';

interface Runner {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[]; affectedRows?: number }>;
  exec(text: string): Promise<unknown>;
}

function toResult(result: { rows: unknown[]; affectedRows?: number }): QueryResult {
  const rows: Row[] = [];
  for (const row of result.rows) {
    if (typeof row === 'object' && row !== null) rows.push(row as Row);
  }
  return { rows, rowCount: result.affectedRows ?? rows.length };
}

function sqlOver(runner: Runner, isClosed: () => boolean): Sql {
  return {
    async query(text: string, params: readonly SqlParam[] = []): Promise<QueryResult> {
      if (isClosed()) throw closedError();
      try {
        return toResult(await runner.query(text, [...params]));
      } catch (error) {
        throw toStoreError(error);
      }
    },
    async exec(text: string): Promise<void> {
      if (isClosed()) throw closedError();
      try {
        await runner.exec(text);
      } catch (error) {
        throw toStoreError(error);
      }
    },
  };
}

function closedError(): StoreError {
  return new StoreError({ code: 'STORE_CLOSED', message: 'the store is closed' });
}

export interface PgliteDbOptions {
  /** 'memory://' or a directory; the database files go in `<dataDir>/pglite`. */
  dataDir: string;
  schema: string;
  /** The caller already holds `<dataDir>/pglite.lock` (the store thread's opener takes it). */
  lockHeld?: boolean;
}

/** Opens PGlite; every statement and transaction goes through one SerialQueue. */
export async function openPgliteDb(options: PgliteDbOptions): Promise<Db> {
  const memory = options.dataDir === MEMORY;
  const location = memory ? MEMORY : resolve(options.dataDir);
  let pg: PGlite;
  let unlock = async (): Promise<void> => undefined;
  try {
    if (memory) {
      pg = await PGlite.create();
    } else {
      const dir = join(location, 'pglite');
      await mkdir(dir, { recursive: true });
      if (options.lockHeld !== true) unlock = await lockDirectory(join(location, 'pglite.lock'));
      pg = await PGlite.create(dir);
    }
  } catch (error) {
    await unlock();
    if (error instanceof StoreError) throw error;
    throw new StoreError({
      code: 'STORE_UNAVAILABLE',
      retryable: false,
      message: `cannot open PGlite at ${location}: ${error instanceof Error ? error.message : String(error)}`,
      details: { location },
      cause: error,
    });
  }

  const queue = new SerialQueue();
  let closed = false;
  const isClosed = (): boolean => closed;
  const direct = sqlOver(pg, isClosed);

  if (options.schema !== 'public') {
    // One connection for the process, so the session-level search_path holds for every later statement.
    try {
      await direct.exec(`SET search_path TO "${options.schema}"`);
    } catch (error) {
      await pg.close().finally(unlock);
      throw error;
    }
  }

  return {
    driver: 'pglite',
    location,
    schema: options.schema,
    query: (text, params) => queue.run(() => direct.query(text, params)),
    exec: (text) => queue.run(() => direct.exec(text)),
    transaction<T>(fn: (sql: Sql) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      return queue.run(async () => {
        if (closed) throw closedError();
        try {
          return await pg.transaction(async (tx: Transaction) => {
            const sql = sqlOver(tx, isClosed);
            if (options.durable === false) await sql.exec('SET LOCAL synchronous_commit TO off');
            return fn(sql);
          });
        } catch (error) {
          throw toStoreError(error);
        }
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      await queue.run(async () => {
        closed = true;
        try {
          await pg.close();
        } catch (error) {
          throw toStoreError(error, 'closing PGlite');
        } finally {
          await unlock();
        }
      });
    },
  };
}
