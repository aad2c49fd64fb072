import type { Db } from './db.ts';
import { StoreError, toStoreError } from './errors.ts';
import { int } from './rows.ts';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

export const MIGRATIONS_TABLE = 'tributary_migrations';

/**
 * Applies pending migrations in one transaction. A transaction-scoped advisory lock, keyed by
 * schema, makes a second process that opens the same database at the same moment wait and then
 * find nothing left to do.
 */
export async function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  try {
    return await db.transaction(async (sql) => {
      await sql.query(`SELECT pg_advisory_xact_lock(hashtext('tributary.migrate'), hashtext($1))`, [db.schema]);
      const exists = await sql.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [db.schema]);
      if (exists.rows.length === 0) await sql.exec(`CREATE SCHEMA "${db.schema}"`);
      await sql.exec(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
        id integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const applied = new Set((await sql.query(`SELECT id FROM ${MIGRATIONS_TABLE}`)).rows.map((row) => int(row, 'id')));
      const done: number[] = [];
      for (const migration of migrations) {
        if (applied.has(migration.id)) continue;
        try {
          await sql.exec(migration.sql);
        } catch (error) {
          throw new StoreError({
            code: 'STORE_MIGRATION_FAILED',
            message: `migration ${migration.id} (${migration.name}) failed: ${error instanceof Error ? error.message : String(error)}`,
            details: { migration: migration.id, name: migration.name },
            cause: error,
          });
        }
        await sql.query(`INSERT INTO ${MIGRATIONS_TABLE} (id, name) VALUES ($1, $2)`, [migration.id, migration.name]);
        done.push(migration.id);
      }
      return done;
    });
  } catch (error) {
    const storeError = toStoreError(error);
    if (storeError.code === 'STORE_MIGRATION_FAILED' || storeError.code === 'STORE_UNAVAILABLE' || storeError.code === 'STORE_CLOSED') {
      throw storeError;
    }
    throw new StoreError({
      code: 'STORE_MIGRATION_FAILED',
      message: `migrating schema ${db.schema} failed: ${storeError.message}`,
      details: { schema: db.schema },
      cause: error,
    });
  }
}

export async function schemaVersion(db: Db): Promise<number> {
  const result = await db.query(`SELECT coalesce(max(id), 0) AS version FROM ${MIGRATIONS_TABLE}`);
  const row = result.rows[0];
  return row === undefined ? 0 : int(row, 'version');
}
