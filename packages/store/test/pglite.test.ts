import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, openStore, type Store } from '../src/index.ts';
import { storeContract, type OpenOptions, type StoreHandle } from './store-contract.ts';

const opened: Store[] = [];
const dirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-store-'));
  dirs.push(dir);
  return dir;
}

async function track(store: Promise<Store>): Promise<Store> {
  const s = await store;
  opened.push(s);
  return s;
}

afterAll(async () => {
  for (const s of opened) await s.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

storeContract('PGlite in memory', async (options: OpenOptions = {}): Promise<StoreHandle> => ({
  store: await track(openStore({ dataDir: 'memory://', ...options })),
}));

storeContract('PGlite in a data directory', async (options: OpenOptions = {}): Promise<StoreHandle> => {
  const dataDir = await tempDir();
  const store = await track(openStore({ dataDir, ...options }));
  return {
    store,
    reopen: async () => {
      await store.close();
      return track(openStore({ dataDir, ...options }));
    },
  };
});

describe('PGlite data directory', () => {
  it('keeps flows, runs and steps across a restart and puts its files under <dataDir>/pglite (plus a lock while open)', async () => {
    const dataDir = await tempDir();
    const first = await openStore({ dataDir });
    const flow = await first.createFlow({ name: 'durable', draft: { n: 1 } });
    const { run } = await first.createRun({ flowId: flow.id, trigger: { id: 1 }, triggerKind: 'webhook', dedupeKey: 'd-1' });
    await first.upsertStep({ runId: run.id, nodeId: 'a', attempt: 1, status: 'succeeded', output: { ok: true } });
    expect(await first.info()).toMatchObject({ driver: 'pglite', location: dataDir });
    await first.close();

    const second = await track(openStore({ dataDir }));
    expect(await second.getFlow(flow.id)).toMatchObject({ name: 'durable', draft: { n: 1 } });
    expect((await second.listSteps(run.id))[0]?.output).toEqual({ ok: true });
    // The dedupe key survives the restart: a redelivered webhook does not create a second run.
    expect((await second.createRun({ flowId: flow.id, trigger: {}, triggerKind: 'webhook', dedupeKey: 'd-1' })).created).toBe(false);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(dataDir)).sort()).toEqual(['pglite', 'pglite.lock']);
    await second.close();
    expect(await readdir(dataDir)).toEqual(['pglite']);
  });

  it('refuses a second open of a directory that is in use, and frees it on close', async () => {
    const dataDir = await tempDir();
    const first = await openStore({ dataDir });
    await expect(openStore({ dataDir })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', retryable: false });
    await first.close();
    const second = await track(openStore({ dataDir }));
    await second.ping();
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const dataDir = await tempDir();
    const { writeFile } = await import('node:fs/promises');
    // No live process has a pid this large (Linux pid_max is at most 2^22).
    await writeFile(join(dataDir, 'pglite.lock'), String(2 ** 30));
    const store = await track(openStore({ dataDir }));
    await store.ping();
  });

  it('rejects a schema name that is not a plain identifier', async () => {
    await expect(openStore({ dataDir: 'memory://', schema: 'x"; DROP TABLE flows; --' })).rejects.toMatchObject({
      code: 'STORE_INVALID_INPUT',
      details: { field: 'schema' },
    });
  });

  it('never interleaves a transaction with other callers on the single connection (in its own schema)', async () => {
    const store = await track(openStore({ dataDir: 'memory://', schema: 'tenant_a' }));
    expect(await store.info()).toMatchObject({ schema: 'tenant_a', schemaVersion: Math.max(...MIGRATIONS.map((m) => m.id)) });
    const flow = await store.createFlow({ name: 'busy', draft: {} });
    // Publishes (transactions) racing draft updates and run inserts (single statements).
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 10; i++) {
      work.push(store.publish({ flowId: flow.id }));
      work.push(store.createRun({ flowId: flow.id, trigger: { i }, triggerKind: 'webhook' }));
      work.push(store.xrefLink({ entity: 'customer', ids: { shopify: `s${i % 3}`, [`sys${i}`]: `x${i}` } }));
    }
    await Promise.all(work);
    expect((await store.listVersions(flow.id)).map((v) => v.version)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect((await store.listRuns({ flowId: flow.id, limit: 100 })).items).toHaveLength(10);
    expect(await store.xrefLookup({ entity: 'customer', system: 'sys9', id: 'x9', targetSystem: 'sys0' })).toBe('x0');
  });
});
