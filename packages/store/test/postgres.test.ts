import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/index.ts';
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
