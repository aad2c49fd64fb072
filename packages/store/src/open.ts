import type { Db } from './db.ts';
import { isValidSchemaName } from './db.ts';
import { MEMORY, openPgliteDb } from './drivers/pglite.ts';
import { openPostgresDb } from './drivers/postgres.ts';
import { StoreError, toStoreError } from './errors.ts';
import { migrate, schemaVersion } from './migrate.ts';
import { auditMethods } from './repos/audit.ts';
import { batchMethods } from './repos/batches.ts';
import { authMethods } from './repos/auth.ts';
import { connectionMethods } from './repos/connections.ts';
import type { RepoContext } from './repos/context.ts';
import { flowMethods } from './repos/flows.ts';
import { runMethods } from './repos/runs.ts';
import { stateMethods } from './repos/state.ts';
import { stepMethods } from './repos/steps.ts';
import { xrefMethods } from './repos/xref.ts';
import type { Store } from './store.ts';
import { openStoreOnWorker } from './thread/proxy.ts';

export const DEFAULT_DATA_DIR = '.tributary';
export const DEFAULT_PAYLOAD_CAP_BYTES = 64 * 1024;
export { MEMORY };

export interface OpenStoreOptions {
  /** PostgreSQL connection string. When set, PostgreSQL is used and `dataDir` is ignored. */
  databaseUrl?: string;
  /** PGlite data directory (files go in `<dataDir>/pglite`), or 'memory://'. Default '.tributary'. */
  dataDir?: string;
  /**
   * PGlite only: 'worker' (default) runs the store on a thread of its own, off the event loop; 'main'
   * runs PGlite in the calling thread.
   */
  pgliteThread?: 'worker' | 'main';
  /** PostgreSQL schema for every table; created if missing. Default 'public'. */
  schema?: string;
  /** PostgreSQL pool size; default 10. */
  poolMax?: number;
  /** Step inputs/outputs whose JSON is larger go to the blobs table. Default 64 KiB. */
  payloadCapBytes?: number;
  /** Characters of a capped payload kept on the step as a preview. Default 2048. */
  previewChars?: number;
  /** Called when an idle pooled PostgreSQL connection fails; the pool has already dropped it. */
  onPoolError?: (error: StoreError) => void;
}

/**
 * Opens the store and applies pending migrations.
 *
 * @example
 * const store = await openStore({ dataDir: process.env.TRIBUTARY_DATA_DIR ?? '.tributary' });
 * const flow = await store.createFlow({ name: 'Orders to ERP', draft: document, by: userId });
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const postgres = options.databaseUrl !== undefined && options.databaseUrl !== '';
  if (!postgres && options.pgliteThread !== 'main') {
    checkOptions(options);
    const { onPoolError: _ignored, ...cloneable } = options;
    return openStoreOnWorker(cloneable);
  }
  return openStoreHere(options);
}

function checkOptions(options: OpenStoreOptions): void {
  const schema = options.schema ?? 'public';
  if (!isValidSchemaName(schema)) {
    throw new StoreError({
      code: 'STORE_INVALID_INPUT',
      message: `schema must be a lower-case SQL identifier, got ${JSON.stringify(schema)}`,
      details: { field: 'schema' },
    });
  }
  const payloadCapBytes = options.payloadCapBytes ?? DEFAULT_PAYLOAD_CAP_BYTES;
  if (!Number.isInteger(payloadCapBytes) || payloadCapBytes < 0) {
    throw new StoreError({ code: 'STORE_INVALID_INPUT', message: 'payloadCapBytes must be a non-negative integer', details: { field: 'payloadCapBytes' } });
  }
}

/** Opens the store in this thread. `lockHeld`: the caller already holds the PGlite directory's lock. */
export async function openStoreHere(options: OpenStoreOptions, internal: { lockHeld?: boolean } = {}): Promise<Store> {
  checkOptions(options);
  const schema = options.schema ?? 'public';
  const payloadCapBytes = options.payloadCapBytes ?? DEFAULT_PAYLOAD_CAP_BYTES;
  const db: Db =
    options.databaseUrl !== undefined && options.databaseUrl !== ''
      ? openPostgresDb({
          databaseUrl: options.databaseUrl,
          schema,
          ...(options.poolMax === undefined ? {} : { poolMax: options.poolMax }),
          ...(options.onPoolError === undefined ? {} : { onPoolError: options.onPoolError }),
        })
      : await openPgliteDb({ dataDir: options.dataDir ?? DEFAULT_DATA_DIR, schema, lockHeld: internal.lockHeld === true });
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw toStoreError(error);
  }
  return createStore({ db, payloadCapBytes, previewChars: options.previewChars ?? 2048 });
}

/** Assembles the Store over an open, migrated Db. */
export function createStore(ctx: RepoContext): Store {
  const { db } = ctx;
  const runs = runMethods(ctx);
  return {
    ...flowMethods(ctx),
    ...runs,
    ...stepMethods(ctx),
    ...batchMethods(ctx, runs),
    ...connectionMethods(ctx),
    ...authMethods(ctx),
    ...auditMethods(ctx),
    ...xrefMethods(ctx),
    ...stateMethods(ctx),
    migrate: () => migrate(db),
    async info() {
      return { driver: db.driver, schemaVersion: await schemaVersion(db), location: db.location, schema: db.schema };
    },
    async ping() {
      try {
        await db.query('SELECT 1');
      } catch (error) {
        const storeError = toStoreError(error);
        if (storeError.code === 'STORE_UNAVAILABLE' || storeError.code === 'STORE_CLOSED') throw storeError;
        throw new StoreError({ code: 'STORE_UNAVAILABLE', message: `ping failed: ${storeError.message}`, cause: error });
      }
    },
    close: () => db.close(),
  };
}
