// Store write throughput for a simulated webhook through a 3-node flow, two ways:
//  - chatty (9 statements): createRun queued, updateRun running, each step written twice (running, then
//    succeeded), updateRun succeeded;
//  - lean (5 statements): createRun already running, each step written once when it finishes, updateRun succeeded.
// Usage: node packages/store/bench/write-throughput.ts [events=2000] [concurrency=32]
// Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) in a throw-away schema, and PGlite in memory.
import pg from 'pg';
import { openStore, type Store } from '../src/index.ts';

const EVENTS = Number(process.argv[2] ?? 2000);
const CONCURRENCY = Number(process.argv[3] ?? 32);
const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

async function leanEvent(store: Store, flowId: string, i: number): Promise<void> {
  const { run } = await store.createRun({
    flowId, version: 1, trigger: { id: i, lines: [{ sku: 'A', qty: 2 }] }, triggerKind: 'webhook', dedupeKey: `lean-${i}`,
    status: 'running', startedAt: new Date(),
  });
  for (const nodeId of ['trigger', 'toSalesOrder', 'createSO']) {
    await store.upsertStep({ runId: run.id, nodeId, attempt: 1, status: 'succeeded', input: { i }, output: { so: `SO-${i}` }, startedAt: new Date(), finishedAt: new Date(), durationMs: 1 });
  }
  await store.updateRun({ id: run.id, status: 'succeeded', finishedAt: new Date() });
}

async function chattyEvent(store: Store, flowId: string, i: number): Promise<void> {
  const { run } = await store.createRun({ flowId, version: 1, trigger: { id: i, lines: [{ sku: 'A', qty: 2 }] }, triggerKind: 'webhook', dedupeKey: `d-${i}` });
  await store.updateRun({ id: run.id, status: 'running', startedAt: new Date(), expectStatus: ['queued'] });
  for (const nodeId of ['trigger', 'toSalesOrder', 'createSO']) {
    await store.upsertStep({ runId: run.id, nodeId, attempt: 1, status: 'running', input: { i }, startedAt: new Date() });
    await store.upsertStep({ runId: run.id, nodeId, attempt: 1, status: 'succeeded', output: { so: `SO-${i}` }, finishedAt: new Date(), durationMs: 1 });
  }
  await store.updateRun({ id: run.id, status: 'succeeded', finishedAt: new Date() });
}

async function bench(label: string, store: Store): Promise<void> {
  const flowId = (await store.createFlow({ name: 'bench', draft: {} })).id;
  const modes = [
    { name: 'chatty', statements: 9, event: chattyEvent },
    { name: 'lean', statements: 5, event: leanEvent },
  ];
  for (const mode of modes) {
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < EVENTS) await mode.event(store, flowId, next++);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${label} ${mode.name}: ${EVENTS} events x ${mode.statements} statements, concurrency ${CONCURRENCY}: ` +
        `${(EVENTS / seconds).toFixed(0)} events/s, ${((EVENTS * mode.statements) / seconds).toFixed(0)} statements/s`,
    );
  }
  const listed = performance.now();
  await store.listRuns({ flowId, status: ['succeeded'], limit: 50 });
  console.log(`${label}: listRuns page of 50 over ${2 * EVENTS} runs: ${(performance.now() - listed).toFixed(1)} ms`);
}

const schema = `bench_store_${process.pid}`;
const pgStore = await openStore({ databaseUrl: DATABASE_URL, schema, poolMax: 10 });
try {
  await bench('PostgreSQL', pgStore);
} finally {
  await pgStore.close();
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
}
const lite = await openStore({ dataDir: 'memory://' });
try {
  await bench('PGlite (memory)', lite);
} finally {
  await lite.close();
}
