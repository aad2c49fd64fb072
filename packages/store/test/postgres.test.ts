import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresDb } from '../src/drivers/postgres.ts';
import { MIGRATIONS, openStore, type Store } from '../src/index.ts';
import { migrate } from '../src/migrate.ts';
import { storeContract, type OpenOptions, type StoreHandle } from './store-contract.ts';

const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
// One prefix per test run; every store gets its own schema under it, all dropped afterwards.
const RUN = `store_test_${process.pid}_${Date.now().toString(36)}`;
let schemas = 0;
const opened: Store[] = [];
const created: string[] = [];

function freshSchema(): string {
  schemas += 1;
  const schema = `${RUN}_${schemas}`;
  created.push(schema);
  return schema;
}

async function track(store: Promise<Store>): Promise<Store> {
  const s = await store;
  opened.push(s);
  return s;
}

afterAll(async () => {
  for (const s of opened) await s.close();
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  try {
    for (const schema of created) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await admin.end();
  }
});

storeContract(
  'PostgreSQL',
  async (options: OpenOptions = {}): Promise<StoreHandle> => {
    const schema = freshSchema();
    const store = await track(openStore({ databaseUrl: DATABASE_URL, schema, poolMax: 8, ...options }));
    return {
      store,
      reopen: async () => {
        await store.close();
        return track(openStore({ databaseUrl: DATABASE_URL, schema, ...options }));
      },
    };
  },
  {
    openConcurrently: async (n) => {
      const schema = freshSchema();
      return Promise.all(Array.from({ length: n }, () => track(openStore({ databaseUrl: DATABASE_URL, schema, poolMax: 2 }))));
    },
  },
);

describe('PostgreSQL driver', () => {
  it('reports where it is without credentials', async () => {
    const store = await track(openStore({ databaseUrl: DATABASE_URL, schema: freshSchema() }));
    const info = await store.info();
    expect(info.driver).toBe('postgres');
    expect(info.location).toMatch(/^postgres:\/\/[^@]+\/\w+$/);
  });

  it('fails with STORE_UNAVAILABLE (retryable) when the server cannot be reached', async () => {
    const error: unknown = await openStore({ databaseUrl: 'postgres://postgres@127.0.0.1:1/test', schema: freshSchema() }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', kind: 'transient', retryable: true });
  });

  it('fails with STORE_UNAVAILABLE, not retryable, when the database does not exist', async () => {
    const url = new URL(DATABASE_URL);
    url.pathname = '/tributary_no_such_database';
    const error: unknown = await openStore({ databaseUrl: url.toString(), schema: freshSchema() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', retryable: false, details: { sqlState: '3D000' } });
  });

  it('migration 4 turns the run data of an existing database from jsonb into json without changing it', async () => {
    const schema = freshSchema();
    const db = openPostgresDb({ databaseUrl: DATABASE_URL, schema });
    try {
      await migrate(db, MIGRATIONS.filter((m) => m.id < 4));
      const trigger = { name: '#W1001', lines: [{ sku: 'A', qty: 2 }], total: 12.5, note: null };
      await db.query(`INSERT INTO runs (id, flow_id, status, trigger, trigger_kind, error) VALUES ('run_old', 'f', 'failed', $1::jsonb, 'webhook', $2::jsonb)`, [
        JSON.stringify(trigger),
        JSON.stringify({ code: 'HTTP_500', kind: 'transient', retryable: true, message: 'ERP said no' }),
      ]);
      await db.query(`INSERT INTO steps (run_id, node_id, attempt, status, input, output, logs) VALUES ('run_old', 'map', 1, 'succeeded', $1::jsonb, $2::jsonb, '[]'::jsonb)`, [
        JSON.stringify(trigger),
        JSON.stringify({ so: 1 }),
      ]);
    } finally {
      await db.close();
    }
    const store = await track(openStore({ databaseUrl: DATABASE_URL, schema }));
    expect(await store.getRun('run_old')).toMatchObject({
      trigger: { name: '#W1001', lines: [{ sku: 'A', qty: 2 }], total: 12.5, note: null },
      error: { code: 'HTTP_500', message: 'ERP said no' },
    });
    expect(await store.getStep({ runId: 'run_old', nodeId: 'map', attempt: 1 })).toMatchObject({ input: { name: '#W1001' }, output: { so: 1 }, logs: [] });
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    try {
      const types = await admin.query<{ column_name: string; data_type: string }>(
        `SELECT table_name || '.' || column_name AS column_name, data_type FROM information_schema.columns
         WHERE table_schema = $1 AND (table_name, column_name) IN (('runs', 'trigger'), ('runs', 'error'), ('steps', 'input'), ('steps', 'output'), ('steps', 'error'), ('steps', 'logs'), ('blobs', 'content'), ('steps', 'ports'))`,
        [schema],
      );
      expect(Object.fromEntries(types.rows.map((r) => [r.column_name, r.data_type]))).toEqual({
        'runs.trigger': 'json', 'runs.error': 'json', 'steps.input': 'json', 'steps.output': 'json', 'steps.error': 'json', 'steps.logs': 'json', 'blobs.content': 'json', 'steps.ports': 'jsonb',
      });
    } finally {
      await admin.end();
    }
  });

  it('keeps tables inside its own schema', async () => {
    const schema = freshSchema();
    await track(openStore({ databaseUrl: DATABASE_URL, schema }));
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    try {
      const result = await admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name IN ('flows', 'runs', 'steps', 'tributary_migrations')`,
        [schema],
      );
      expect(result.rows[0]?.n).toBe(4);
    } finally {
      await admin.end();
    }
  });
});
