// Store write throughput for a simulated webhook through a 3-node flow:
//  - accept (1 statement): only createRun — what a webhook must make durable before it is acknowledged;
//  - chatty (9 statements): createRun queued, updateRun running, each step written twice (running, then
//    succeeded), updateRun succeeded;
//  - lean (5 statements): createRun already running, each step written once when it finishes, updateRun succeeded;
//  - accept batched / lean batched: the same writes through group-commit batchers, as the runtime does:
//    concurrent webhooks share createRuns calls (up to BATCH per call), concurrent runs share
//    writeRunProgress calls (each step as it finishes, and the final run update, is one entry);
//  - lean batched, durable: false: the same with writeRunProgress({ durable: false }).
// Ratios are against the unbatched mode of the same work, measured in the same run.
// Usage: node packages/store/bench/write-throughput.ts [events=2000] [concurrency=128] [batch=64] [inFlight=1]
// (inFlight: flushes of one batcher that may run at once; PGlite runs them one after another anyway).
// Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) in a throw-away schema, and PGlite in memory.
import pg from 'pg';
import { openStore, type CreateRunInput, type CreateRunResult, type RunProgress, type Store } from '../src/index.ts';

const EVENTS = Number(process.argv[2] ?? 2000);
const CONCURRENCY = Number(process.argv[3] ?? 128);
const BATCH = Number(process.argv[4] ?? 64);
const IN_FLIGHT = Number(process.argv[5] ?? 1);
const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const NODES = ['trigger', 'toSalesOrder', 'createSO'];

/**
 * Group commit as the runtime's batcher does it: callers wait on `add`; while `maxInFlight` flushes
 * are running, new items queue up and go together in the next flush (at most `maxItems`).
 */
class GroupCommit<T, R> {
  readonly #flush: (items: T[]) => Promise<R[]>;
  readonly #maxItems: number;
  readonly #maxInFlight: number;
  #pending: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  #inFlight = 0;
  flushes = 0;
  items = 0;

  constructor(flush: (items: T[]) => Promise<R[]>, options: { maxItems: number; maxInFlight: number }) {
    this.#flush = flush;
    this.#maxItems = options.maxItems;
    this.#maxInFlight = options.maxInFlight;
  }

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      if (this.#inFlight < this.#maxInFlight) queueMicrotask(() => this.#drain());
    });
  }

  #drain(): void {
    while (this.#inFlight < this.#maxInFlight && this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.#maxItems);
      this.#inFlight += 1;
      this.flushes += 1;
      this.items += batch.length;
      this.#flush(batch.map((b) => b.item))
        .then(
          (results) => batch.forEach((b, i) => b.resolve(results[i] as R)),
          (error: unknown) => batch.forEach((b) => b.reject(error)),
        )
        .finally(() => {
          this.#inFlight -= 1;
          this.#drain();
        });
    }
  }
}

interface Batchers {
  accepts: GroupCommit<CreateRunInput, CreateRunResult>;
  progress: GroupCommit<RunProgress, undefined>;
}

function batchers(store: Store, durable: boolean): Batchers {
  return {
    accepts: new GroupCommit((items) => store.createRuns(items), { maxItems: BATCH, maxInFlight: IN_FLIGHT }),
    progress: new GroupCommit(
      async (items) => {
        await store.writeRunProgress(items, { durable });
        return items.map(() => undefined);
      },
      { maxItems: BATCH, maxInFlight: IN_FLIGHT },
    ),
  };
}

type Event = (store: Store, flowId: string, i: number, b: Batchers) => Promise<void>;

const trigger = (i: number): CreateRunInput['trigger'] => ({ id: i, lines: [{ sku: 'A', qty: 2 }] });

const acceptEvent: Event = async (store, flowId, i) => {
  await store.createRun({ flowId, version: 1, trigger: trigger(i), triggerKind: 'webhook', dedupeKey: `accept-${i}` });
};

const acceptBatchedEvent: Event = async (_store, flowId, i, b) => {
  await b.accepts.add({ flowId, version: 1, trigger: trigger(i), triggerKind: 'webhook', dedupeKey: `accept-b-${i}` });
};

const chattyEvent: Event = async (store, flowId, i) => {
  const { run } = await store.createRun({ flowId, version: 1, trigger: trigger(i), triggerKind: 'webhook', dedupeKey: `d-${i}` });
  await store.updateRun({ id: run.id, status: 'running', startedAt: new Date(), expectStatus: ['queued'] });
  for (const nodeId of NODES) {
    await store.upsertStep({ runId: run.id, nodeId, attempt: 1, status: 'running', input: { i }, startedAt: new Date() });
    await store.upsertStep({ runId: run.id, nodeId, attempt: 1, status: 'succeeded', output: { so: `SO-${i}` }, finishedAt: new Date(), durationMs: 1 });
  }
  await store.updateRun({ id: run.id, status: 'succeeded', finishedAt: new Date() });
};

const leanEvent: Event = async (store, flowId, i) => {
  const { run } = await store.createRun({
    flowId, version: 1, trigger: trigger(i), triggerKind: 'webhook', dedupeKey: `lean-${i}`, status: 'running', startedAt: new Date(),
  });
  for (const nodeId of NODES) {
    await store.upsertStep({ runId: run.id, nodeId, attempt: 1, status: 'succeeded', input: { i }, output: { so: `SO-${i}` }, ports: ['out'], startedAt: new Date(), finishedAt: new Date(), durationMs: 1 });
  }
  await store.updateRun({ id: run.id, status: 'succeeded', finishedAt: new Date() });
};

function leanBatched(prefix: string): Event {
  return async (_store, flowId, i, b) => {
    const { run } = await b.accepts.add({
      flowId, version: 1, trigger: trigger(i), triggerKind: 'webhook', dedupeKey: `${prefix}-${i}`, status: 'running', startedAt: new Date(),
    });
    for (const nodeId of NODES) {
      await b.progress.add({
        steps: [{ runId: run.id, nodeId, attempt: 1, status: 'succeeded', input: { i }, output: { so: `SO-${i}` }, ports: ['out'], startedAt: new Date(), finishedAt: new Date(), durationMs: 1 }],
      });
    }
    await b.progress.add({ run: { id: run.id, status: 'succeeded', finishedAt: new Date() } });
  };
}

interface Mode {
  name: string;
  statements: number;
  event: Event;
  durable?: boolean;
  /** The unbatched mode this one is compared with. */
  baseline?: string;
}

const MODES: Mode[] = [
  { name: 'accept', statements: 1, event: acceptEvent },
  { name: 'accept batched', statements: 1, event: acceptBatchedEvent, baseline: 'accept' },
  { name: 'chatty', statements: 9, event: chattyEvent },
  { name: 'lean', statements: 5, event: leanEvent },
  { name: 'lean batched', statements: 5, event: leanBatched('lean-b'), baseline: 'lean' },
  { name: 'lean batched, durable: false', statements: 5, event: leanBatched('lean-nd'), durable: false, baseline: 'lean' },
];

async function bench(label: string, store: Store): Promise<string> {
  const flowId = (await store.createFlow({ name: 'bench', draft: {} })).id;
  const rate = new Map<string, number>();
  for (const mode of MODES) {
    const b = batchers(store, mode.durable !== false);
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < EVENTS) await mode.event(store, flowId, next++, b);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const perSecond = EVENTS / seconds;
    rate.set(mode.name, perSecond);
    const base = mode.baseline === undefined ? undefined : rate.get(mode.baseline);
    const means = [
      ['createRuns', b.accepts],
      ['writeRunProgress', b.progress],
    ] as const;
    const used = means.filter(([, batcher]) => batcher.flushes > 0).map(([name, batcher]) => `${name} ${(batcher.items / batcher.flushes).toFixed(1)}`);
    const batches = used.length === 0 ? '' : ` | mean batch: ${used.join(', ')}`;
    console.log(
      `${label} | ${mode.name} | ${perSecond.toFixed(0)} events/s | ${((EVENTS * mode.statements) / seconds).toFixed(0)} logical writes/s` +
        `${base === undefined ? '' : ` | x${(perSecond / base).toFixed(1)} vs ${mode.baseline ?? ''}`}${batches}`,
    );
  }
  const listed = performance.now();
  await store.listRuns({ flowId, status: ['succeeded'], limit: 50 });
  console.log(`${label}: listRuns page of 50 over ${MODES.length * EVENTS} runs: ${(performance.now() - listed).toFixed(1)} ms`);
  const runs = (await store.listRuns({ flowId, status: ['succeeded'], limit: 1 })).items;
  const runId = runs[0]?.id ?? '';
  const read = performance.now();
  for (let i = 0; i < 200; i++) {
    await store.getRun(runId);
    await store.listSteps(runId, { full: true });
  }
  console.log(`${label}: getRun + listSteps(full): ${((performance.now() - read) / 200).toFixed(2)} ms per pair`);
  return flowId;
}

async function explain(schema: string): Promise<void> {
  // The read paths the runtime uses per run: both must be index lookups on a big table.
  const client = new pg.Client({ connectionString: DATABASE_URL, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    await client.query('ANALYZE runs; ANALYZE steps');
    const id = (await client.query<{ id: string }>('SELECT id FROM runs LIMIT 1')).rows[0]?.id ?? '';
    for (const [what, sql] of [
      ['getRun', 'SELECT * FROM runs WHERE id = $1'],
      ['listSteps', 'SELECT * FROM steps s WHERE s.run_id = $1 ORDER BY s.started_at NULLS LAST, s.node_id, s.attempt'],
    ] as const) {
      const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, [id]);
      console.log(`PostgreSQL plan for ${what}: ${plan.rows.map((r) => r['QUERY PLAN'].trim()).join(' / ')}`);
    }
  } finally {
    await client.end();
  }
}

console.log(`events ${EVENTS}, concurrency ${CONCURRENCY}, batch up to ${BATCH}, ${IN_FLIGHT} flush(es) in flight per batcher`);
const schema = `bench_store_${process.pid}`;
const pgStore = await openStore({ databaseUrl: DATABASE_URL, schema, poolMax: 10 });
try {
  await bench('PostgreSQL', pgStore);
  await explain(schema);
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
