import { describe, expect, it } from 'vitest';
import { TRIGGER_INPUT, type CreateRunInput, type RunProgress, type Step, type Store, type StoredError, type UpsertStepInput } from '../src/index.ts';

/**
 * Group-commit writes (`createRuns`, `writeRunProgress`) and step ports. Part of the store contract:
 * `storeContract` calls this inside its own describe with its shared stores.
 */
export interface BatchContractStores {
  /** Default payload cap. */
  store: () => Store;
  /** 64-byte payload cap. Only queued or running runs may be left in it (the pruning tests count on that). */
  small: () => Store;
}

const boom: StoredError = { code: 'HTTP_500', kind: 'transient', retryable: true, message: 'ERP said no' };
const t = (ms: number): Date => new Date(Date.UTC(2025, 2, 1) + ms);

let unique = 0;
function uid(prefix: string): string {
  unique += 1;
  return `${prefix}-${process.pid}-${unique}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A fixed permutation per seed, so concurrent batches insert shared keys in different orders. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed * 2654435761 + 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    const a = out[i];
    const b = out[j];
    if (a === undefined || b === undefined) throw new Error('index out of range');
    out[i] = b;
    out[j] = a;
  }
  return out;
}

/** A step as a user sees it, without the run it belongs to (for comparing two runs' histories). */
function withoutRun(step: Step | null | undefined): Omit<Step, 'runId'> | null {
  if (step === null || step === undefined) return null;
  const { runId: _runId, ...rest } = step;
  return rest;
}

export function batchContract(stores: BatchContractStores): void {
  async function newFlow(s: Store): Promise<string> {
    return (await s.createFlow({ name: uid('flow'), draft: {} })).id;
  }

  async function newRuns(s: Store, n: number): Promise<string[]> {
    const flowId = await newFlow(s);
    const results = await s.createRuns(Array.from({ length: n }, (_, i) => ({ flowId, trigger: { i }, triggerKind: 'webhook', status: 'running' as const })));
    return results.map((r) => r.run.id);
  }

  describe('createRuns (group commit of accepted events)', () => {
    it('returns one result per input in input order, deduplicating within the batch and against stored runs', async () => {
      const store = stores.store();
      const a = await newFlow(store);
      const b = await newFlow(store);
      const stored = (await store.createRun({ flowId: a, trigger: { n: 'stored' }, triggerKind: 'webhook', dedupeKey: 'k-stored' })).run;
      const inputs: CreateRunInput[] = [
        { flowId: a, trigger: { n: 0 }, triggerKind: 'webhook', dedupeKey: 'k-z' },
        { flowId: a, trigger: { n: 1 }, triggerKind: 'webhook', dedupeKey: 'k-stored' },
        { flowId: a, trigger: { n: 2 }, triggerKind: 'webhook', dedupeKey: 'k-z' },
        { flowId: b, trigger: { n: 3 }, triggerKind: 'webhook', dedupeKey: 'k-z' },
        { flowId: a, trigger: { n: 4 }, triggerKind: 'manual' },
        { flowId: a, trigger: { n: 5 }, triggerKind: 'manual', dedupeKey: null },
        {
          flowId: a, version: 2, status: 'running', trigger: { n: 6 }, triggerKind: 'webhook', dedupeKey: 'k-a', priority: 3,
          test: true, startedAt: t(1), createdAt: t(0), replayOf: stored.id, replayFromNode: 'createSO',
        },
      ];
      const results = await store.createRuns(inputs);
      expect(results.map((r) => r.created)).toEqual([true, false, false, true, true, true, true]);
      expect(results.map((r) => r.run.trigger)).toEqual([{ n: 0 }, { n: 'stored' }, { n: 0 }, { n: 3 }, { n: 4 }, { n: 5 }, { n: 6 }]);
      expect(results[1]?.run).toEqual(stored);
      expect(results[2]?.run.id).toBe(results[0]?.run.id);
      expect(results[3]?.run.flowId).toBe(b);
      expect(results[6]?.run).toMatchObject({
        version: 2, status: 'running', priority: 3, test: true, startedAt: t(1), createdAt: t(0), replayOf: stored.id,
        replayFromNode: 'createSO', dedupeKey: 'k-a', attempt: 0, error: null,
      });
      for (const r of results) expect(await store.getRun(r.run.id)).toEqual(r.run);
      expect((await store.listRuns({ flowId: a })).items).toHaveLength(5);
      // The keys are taken now: a redelivery through the single-run path finds the batch's run.
      expect(await store.createRun({ flowId: a, trigger: {}, triggerKind: 'webhook', dedupeKey: 'k-z' })).toEqual({ run: results[0]?.run, created: false });
    });

    it('keeps input order when the keys sort differently, and handles empty and one-element batches', async () => {
      const store = stores.store();
      const flowId = await newFlow(store);
      expect(await store.createRuns([])).toEqual([]);
      const inputs = Array.from({ length: 40 }, (_, i) => ({ flowId, trigger: { i }, triggerKind: 'webhook', dedupeKey: `key-${String(39 - (i % 25)).padStart(2, '0')}` }));
      const results = await store.createRuns(inputs);
      expect(results.map((r) => r.run.dedupeKey)).toEqual(inputs.map((input) => input.dedupeKey));
      expect(results.map((r) => r.created)).toEqual(inputs.map((_, i) => i < 25));
      for (const [i, r] of results.entries()) expect(r.run.trigger).toEqual({ i: i % 25 });
      const [one] = await store.createRuns([{ flowId, trigger: { single: true }, triggerKind: 'webhook', dedupeKey: 'key-39' }]);
      expect(one).toEqual({ run: results[0]?.run, created: false });
    });

    it('creates exactly one run per key when 10 batches of 50 and single deliveries overlap', async () => {
      const store = stores.store();
      const flowId = await newFlow(store);
      const keys = Array.from({ length: 60 }, (_, i) => `delivery-${i}`);
      const batches = Array.from({ length: 10 }, (_, b) =>
        shuffled(keys, b + 1)
          .slice(0, 50)
          .map((dedupeKey) => ({ flowId, trigger: { batch: b, dedupeKey }, triggerKind: 'webhook', dedupeKey })),
      );
      const [batchResults, singles] = await Promise.all([
        Promise.all(batches.map((batch) => store.createRuns(batch))),
        Promise.all(keys.slice(0, 10).map((dedupeKey) => store.createRun({ flowId, trigger: { single: dedupeKey }, triggerKind: 'webhook', dedupeKey }))),
      ]);
      const all = [...batchResults.flat(), ...singles];
      for (const key of keys) {
        const forKey = all.filter((r) => r.run.dedupeKey === key);
        expect(forKey.filter((r) => r.created), key).toHaveLength(1);
        expect(new Set(forKey.map((r) => r.run.id)).size, key).toBe(1);
      }
      for (const [b, results] of batchResults.entries()) {
        expect(results.map((r) => r.run.dedupeKey)).toEqual(batches[b]?.map((input) => input.dedupeKey));
      }
      const stored = (await store.listRuns({ flowId, limit: 500 })).items;
      expect(stored).toHaveLength(keys.length);
      const winners = new Map(all.filter((r) => r.created).map((r) => [r.run.id, r.run]));
      for (const run of stored) expect(winners.get(run.id)).toEqual(run);
    });

    it('is all or nothing: a failing input (a taken run id) in the last statement leaves no run of the batch', async () => {
      const store = stores.store();
      const flowId = await newFlow(store);
      const taken = (await store.createRun({ flowId, trigger: {}, triggerKind: 'webhook' })).run;
      // More inputs than one statement carries, so the failure comes after rows were already inserted.
      const inputs: CreateRunInput[] = Array.from({ length: 520 }, (_, i) => ({ flowId, trigger: { i }, triggerKind: 'webhook', dedupeKey: `k-${i}` }));
      inputs.push({ id: taken.id, flowId, trigger: {}, triggerKind: 'webhook' });
      await expect(store.createRuns(inputs)).rejects.toMatchObject({ code: 'STORE_DUPLICATE', details: { field: 'id' } });
      expect((await store.listRuns({ flowId, limit: 500 })).items.map((r) => r.id)).toEqual([taken.id]);
      expect((await store.createRun({ flowId, trigger: {}, triggerKind: 'webhook', dedupeKey: 'k-0' })).created).toBe(true);
    });
  });

  describe('writeRunProgress (group commit of run progress)', () => {
    it('ends in the same steps and runs as the same calls made one by one', async () => {
      const store = stores.store();
      const [batched, single, other] = await newRuns(store, 3);
      if (batched === undefined || single === undefined || other === undefined) throw new Error('expected 3 runs');
      // What two runs record concurrently, as the runtime's batcher would collect it: the same step
      // twice (running, then failed), a retry, a run updated twice.
      const progress = (runId: string): RunProgress[] => [
        { steps: [{ runId, nodeId: 'fetch', attempt: 1, status: 'running', input: { order: 1 }, startedAt: t(0) }] },
        { steps: [{ runId: other, nodeId: 'x', attempt: 1, status: 'succeeded', output: { from: runId } }] },
        {
          steps: [
            { runId, nodeId: 'fetch', attempt: 1, status: 'failed', error: boom, logs: ['timeout'], ports: ['error'], finishedAt: t(30), durationMs: 30 },
            { runId, nodeId: 'fetch', attempt: 2, status: 'succeeded', input: { order: 1 }, output: { lines: 3 }, ports: ['out'], startedAt: t(40), finishedAt: t(50), durationMs: 10 },
          ],
          run: { id: runId, attempt: 1, error: boom },
        },
        {
          steps: [{ runId, nodeId: 'toSO', attempt: 1, status: 'succeeded', input: null, output: { so: 'SO-1' }, ports: [], startedAt: t(60), reusedFrom: 'run_original' }],
          run: { id: runId, status: 'succeeded', error: null, finishedAt: t(70) },
        },
      ];
      await store.writeRunProgress(progress(batched));
      for (const entry of progress(single)) {
        for (const step of entry.steps ?? []) await store.upsertStep(step);
        if (entry.run !== undefined) await store.updateRun(entry.run);
      }
      const batchedSteps = await store.listSteps(batched);
      expect(batchedSteps.map((s) => `${s.nodeId}#${s.attempt}:${s.status}`)).toEqual(['fetch#1:failed', 'fetch#2:succeeded', 'toSO#1:succeeded']);
      expect(batchedSteps[0]).toMatchObject({ input: { order: 1 }, error: boom, logs: ['timeout'], ports: ['error'], startedAt: t(0), finishedAt: t(30) });
      expect(batchedSteps[2]).toMatchObject({ ports: [], reusedFrom: 'run_original', input: null });
      expect(batchedSteps.map(withoutRun)).toEqual((await store.listSteps(single)).map(withoutRun));
      const [batchedRun, singleRun] = [await store.getRun(batched), await store.getRun(single)];
      expect(batchedRun).toMatchObject({ status: 'succeeded', attempt: 1, error: null, finishedAt: t(70) });
      expect({ ...batchedRun, id: '', trigger: null }).toEqual({ ...singleRun, id: '', trigger: null });
      expect((await store.getStep({ runId: other, nodeId: 'x', attempt: 1 }))?.output).toEqual({ from: single });
    });

    it('writes nothing of a small batch (one statement) with a step or an update of a run that does not exist', async () => {
      const store = stores.store();
      const [runId, other] = await newRuns(store, 2);
      if (runId === undefined || other === undefined) throw new Error('expected runs');
      const good: RunProgress = { steps: [{ runId, nodeId: 'a', attempt: 1, status: 'succeeded', output: { ok: 1 } }], run: { id: runId, status: 'succeeded', finishedAt: t(1) } };
      const unchanged: RunProgress = { run: { id: other } };
      for (const bad of [
        { steps: [{ runId: 'run_zz_missing', nodeId: 'a', attempt: 1, status: 'succeeded' as const, output: { i: -1 } }] },
        { run: { id: 'run_zz_missing', status: 'failed' as const } },
        { run: { id: 'run_zz_missing' } },
      ]) {
        await expect(store.writeRunProgress([good, unchanged, bad])).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
        expect(await store.listSteps(runId)).toEqual([]);
        expect(await store.getRun(runId)).toMatchObject({ status: 'running', finishedAt: null });
      }
      await store.writeRunProgress([good, unchanged, { steps: [{ runId: other, nodeId: 'b', attempt: 1, status: 'running' }] }]);
      expect((await store.listSteps(runId)).map((s) => [s.nodeId, s.output])).toEqual([['a', { ok: 1 }]]);
      expect((await store.listSteps(other)).map((s) => [s.nodeId, s.status])).toEqual([['b', 'running']]);
      expect(await store.getRun(runId)).toMatchObject({ status: 'succeeded', finishedAt: t(1) });
    });

    it('writes nothing of a batch with a step of a run that does not exist, even after many rows were written', async () => {
      const store = stores.store();
      const [runId] = await newRuns(store, 1);
      if (runId === undefined) throw new Error('expected a run');
      const steps: UpsertStepInput[] = Array.from({ length: 300 }, (_, i) => ({ runId, nodeId: `n${String(i).padStart(3, '0')}`, attempt: 1, status: 'succeeded', output: { i } }));
      const batch: RunProgress[] = [
        { steps, run: { id: runId, status: 'succeeded', finishedAt: t(1) } },
        // Same fields as the others and a key that sorts after theirs: it fails the last statement.
        { steps: [{ runId: 'run_zz_missing', nodeId: 'a', attempt: 1, status: 'succeeded', output: { i: -1 } }] },
      ];
      await expect(store.writeRunProgress(batch)).rejects.toMatchObject({ code: 'STORE_NOT_FOUND', details: { field: 'runId' } });
      expect(await store.listSteps(runId)).toEqual([]);
      expect(await store.getRun(runId)).toMatchObject({ status: 'running', finishedAt: null });
      // Without the bad entry the same batch goes through: 300 steps in more than one statement.
      await store.writeRunProgress(batch.slice(0, 1));
      expect(await store.listSteps(runId)).toHaveLength(300);
      expect(await store.getRun(runId)).toMatchObject({ status: 'succeeded' });
    });

    it('writes nothing when a run to update does not exist, naming it', async () => {
      const store = stores.store();
      const [runId] = await newRuns(store, 1);
      if (runId === undefined) throw new Error('expected a run');
      const batch: RunProgress[] = [
        { steps: [{ runId, nodeId: 'a', attempt: 1, status: 'succeeded' }], run: { id: runId, status: 'failed' } },
        { run: { id: 'run_gone', status: 'succeeded' } },
        { run: { id: 'run_gone_too' } },
      ];
      await expect(store.writeRunProgress(batch)).rejects.toMatchObject({ code: 'STORE_NOT_FOUND', details: { runIds: ['run_gone', 'run_gone_too'] } });
      expect(await store.listSteps(runId)).toEqual([]);
      expect((await store.getRun(runId))?.status).toBe('running');
    });

    it('refuses expectStatus guards and invalid values, writing nothing', async () => {
      const store = stores.store();
      const [runId] = await newRuns(store, 1);
      if (runId === undefined) throw new Error('expected a run');
      const step: UpsertStepInput = { runId, nodeId: 'a', attempt: 1, status: 'succeeded' };
      await expect(store.writeRunProgress([{ steps: [step] }, { run: { id: runId, status: 'succeeded', expectStatus: ['running'] } }])).rejects.toMatchObject({
        code: 'STORE_INVALID_INPUT',
        details: { field: 'expectStatus' },
      });
      await expect(store.writeRunProgress([{ steps: [step] }, { run: { id: runId, status: 'exploded' as 'failed' } }])).rejects.toMatchObject({ code: 'STORE_INVALID_INPUT' });
      expect(await store.listSteps(runId)).toEqual([]);
      await store.writeRunProgress([]);
      await store.writeRunProgress([{}, { steps: [] }]);
    });

    it('leaves a cancelled run as it is and still records its steps, in one statement and in a transaction', async () => {
      const capped = stores.small();
      const [small, large, live] = await newRuns(capped, 3);
      if (small === undefined || large === undefined || live === undefined) throw new Error('expected 3 runs');
      const cancelledAt = t(5);
      const cancel = { code: 'RUN_CANCELLED', kind: 'user' as const, retryable: false, message: 'cancelled by ann@example.com' };
      for (const id of [small, large]) await capped.updateRun({ id, status: 'cancelled', finishedAt: cancelledAt, error: cancel, expectStatus: ['running'] });
      // A worker that had the run in hand finishes it late: one small batch (a single statement), then
      // one whose blob-sized output takes the transaction path.
      const big = { lines: Array.from({ length: 50 }, (_, i) => ({ sku: `SKU-${i}` })) };
      await capped.writeRunProgress([
        { steps: [{ runId: small, nodeId: 'post', attempt: 1, status: 'succeeded', output: { so: 'SO-1' } }], run: { id: small, status: 'succeeded', error: null, finishedAt: t(9) } },
        { run: { id: live, status: 'succeeded', finishedAt: t(9) } },
      ]);
      await capped.writeRunProgress([
        { steps: [{ runId: large, nodeId: 'post', attempt: 1, status: 'succeeded', output: big }], run: { id: large, status: 'succeeded', error: null, finishedAt: t(9) } },
        { run: { id: large } },
      ]);
      for (const id of [small, large]) {
        expect(await capped.getRun(id)).toMatchObject({ status: 'cancelled', finishedAt: cancelledAt, error: cancel });
        expect((await capped.listSteps(id)).map((st) => `${st.nodeId}:${st.status}`)).toEqual(['post:succeeded']);
      }
      expect((await capped.listSteps(large, { full: true }))[0]?.output).toEqual(big);
      expect(await capped.getRun(live)).toMatchObject({ status: 'succeeded', finishedAt: t(9) });
    });

    it('caps large payloads into blobs, per step, as upsertStep does', async () => {
      const capped = stores.small();
      const [first, second] = await newRuns(capped, 2);
      if (first === undefined || second === undefined) throw new Error('expected 2 runs');
      const big = { lines: Array.from({ length: 50 }, (_, i) => ({ sku: `SKU-${i}`, note: 'ä€𝄞' })) };
      await capped.writeRunProgress([
        { steps: [{ runId: first, nodeId: 'fetch', attempt: 1, status: 'succeeded', input: big, output: { ok: true } }] },
        { steps: [{ runId: second, nodeId: 'fetch', attempt: 1, status: 'succeeded', input: { ok: true }, output: big }] },
      ]);
      const [a, b] = [await capped.getStep({ runId: first, nodeId: 'fetch', attempt: 1 }), await capped.getStep({ runId: second, nodeId: 'fetch', attempt: 1 })];
      expect(a).toMatchObject({ input: null, inputTruncated: true, inputBytes: Buffer.byteLength(JSON.stringify(big)), output: { ok: true }, outputTruncated: false });
      expect(JSON.stringify(big).startsWith(a?.inputPreview ?? 'x')).toBe(true);
      expect(b).toMatchObject({ output: null, outputTruncated: true, input: { ok: true } });
      expect((await capped.getStep({ runId: first, nodeId: 'fetch', attempt: 1 }, { full: true }))?.input).toEqual(big);
      expect((await capped.listSteps(second, { full: true }))[0]?.output).toEqual(big);
      // A later small payload replaces the capped one.
      await capped.writeRunProgress([{ steps: [{ runId: second, nodeId: 'fetch', attempt: 1, status: 'succeeded', output: { small: 1 } }] }]);
      expect(await capped.getStep({ runId: second, nodeId: 'fetch', attempt: 1 })).toMatchObject({ output: { small: 1 }, outputTruncated: false, outputPreview: null });
    });

    it('writes with durable: false too, and concurrent batches of different runs all land', async () => {
      const store = stores.store();
      const runIds = await newRuns(store, 8);
      await Promise.all(
        runIds.map((runId, i) =>
          store.writeRunProgress(
            [{ steps: [{ runId, nodeId: 'a', attempt: 1, status: 'succeeded', output: { i } }], run: { id: runId, status: 'succeeded', finishedAt: t(i) } }],
            { durable: i % 2 === 0 },
          ),
        ),
      );
      for (const [i, runId] of runIds.entries()) {
        expect((await store.getStep({ runId, nodeId: 'a', attempt: 1 }))?.output).toEqual({ i });
        expect(await store.getRun(runId)).toMatchObject({ status: 'succeeded', finishedAt: t(i) });
      }
    });
  });

  describe('step ports and replay origin', () => {
    it('round-trips ports and reusedFrom, keeps them when a later write leaves them out, and reads null when never set', async () => {
      const store = stores.store();
      const [runId] = await newRuns(store, 1);
      if (runId === undefined) throw new Error('expected a run');
      const plain = await store.upsertStep({ runId, nodeId: 'old', attempt: 1, status: 'succeeded', output: 1 });
      expect(plain).toMatchObject({ ports: null, reusedFrom: null });
      const routed = await store.upsertStep({ runId, nodeId: 'branch', attempt: 1, status: 'running', ports: ['true', 'always'], reusedFrom: 'run_original' });
      expect(routed).toMatchObject({ ports: ['true', 'always'], reusedFrom: 'run_original' });
      const finished = await store.upsertStep({ runId, nodeId: 'branch', attempt: 1, status: 'succeeded', finishedAt: t(5) });
      expect(finished).toMatchObject({ ports: ['true', 'always'], reusedFrom: 'run_original', finishedAt: t(5) });
      expect(await store.upsertStep({ runId, nodeId: 'branch', attempt: 1, status: 'succeeded', ports: [], reusedFrom: null })).toMatchObject({ ports: [], reusedFrom: null });
      expect(await store.upsertStep({ runId, nodeId: 'branch', attempt: 1, status: 'succeeded', ports: null })).toMatchObject({ ports: null });
      expect((await store.listSteps(runId)).map((s) => [s.nodeId, s.ports])).toEqual([
        ['branch', null],
        ['old', null],
      ]);
    });
  });

  describe('run data holding NUL (valid JSON that PostgreSQL text cannot hold)', () => {
    it('stores and reads back triggers, step inputs, outputs, errors, logs and blobs with \\u0000 in strings and keys', async () => {
      const capped = stores.small();
      const flowId = await newFlow(capped);
      const nul = { note: 'gate\u0000code', 'k\u0000ey': ['\u0000'] };
      const single = await capped.createRun({ flowId, trigger: nul, triggerKind: 'webhook' });
      const [batched, other] = await capped.createRuns([
        { flowId, trigger: nul, triggerKind: 'webhook', dedupeKey: 'nul-1' },
        { flowId, trigger: { plain: true }, triggerKind: 'webhook', dedupeKey: 'nul-2' },
      ]);
      for (const created of [single, batched]) expect((await capped.getRun(created?.run.id ?? ''))?.trigger).toEqual(nul);
      const runId = other!.run.id;
      const error = { ...boom, message: 'vendor said \u0000', details: { body: '\u0000' } };
      const big = { text: `\u0000${'x'.repeat(2000)}` };
      await capped.writeRunProgress([
        {
          run: { id: runId, status: 'failed', error },
          steps: [
            { runId, nodeId: 'a', attempt: 1, status: 'failed', input: nul, output: big, error, logs: [{ level: 'info', message: 'saw \u0000' }] as never },
          ],
        },
      ]);
      expect((await capped.getRun(runId))?.error).toEqual(error);
      const step = await capped.getStep({ runId, nodeId: 'a', attempt: 1 }, { full: true });
      expect(step).toMatchObject({ input: nul, output: big, error, logs: [{ level: 'info', message: 'saw \u0000' }] });
      await capped.updateRun({ id: runId, error: { ...error, message: 'again \u0000' } });
      expect((await capped.getRun(runId))?.error?.message).toBe('again \u0000');
    });
  });

  describe('inputs recorded as references (inputFrom)', () => {
    it('resolves $trigger and an upstream output (its latest attempt) in listSteps, getStep and upsertStep', async () => {
      const store = stores.store();
      const flowId = await newFlow(store);
      const [created] = await store.createRuns([{ flowId, trigger: { order: 42 }, triggerKind: 'webhook', status: 'running' }]);
      const runId = created!.run.id;
      await store.writeRunProgress([
        {
          steps: [
            { runId, nodeId: 'map', attempt: 1, status: 'failed', inputFrom: TRIGGER_INPUT, output: null, error: boom },
            { runId, nodeId: 'map', attempt: 2, status: 'succeeded', inputFrom: TRIGGER_INPUT, output: { so: 42 } },
            { runId, nodeId: 'post', attempt: 1, status: 'succeeded', inputFrom: 'map', output: { id: 'so-1' } },
          ],
        },
      ]);
      const steps = await store.listSteps(runId);
      const byKey = new Map(steps.map((s) => [`${s.nodeId}/${s.attempt}`, s]));
      expect(byKey.get('map/1')).toMatchObject({ input: { order: 42 }, inputFrom: '$trigger', inputTruncated: false, inputBytes: 12 });
      expect(byKey.get('map/2')).toMatchObject({ input: { order: 42 }, inputFrom: '$trigger' });
      expect(byKey.get('post/1')).toMatchObject({ input: { so: 42 }, inputFrom: 'map', inputBytes: byKey.get('map/2')?.outputBytes });
      expect(await store.getStep({ runId, nodeId: 'post', attempt: 1 })).toMatchObject({ input: { so: 42 }, inputFrom: 'map' });
      expect(await store.upsertStep({ runId, nodeId: 'post', attempt: 1, status: 'succeeded', finishedAt: t(1) })).toMatchObject({ input: { so: 42 } });
      // A copy replaces the reference, and a reference replaces the copy.
      expect(await store.upsertStep({ runId, nodeId: 'post', attempt: 1, status: 'succeeded', input: { other: true } })).toMatchObject({ input: { other: true }, inputFrom: null });
      expect(await store.upsertStep({ runId, nodeId: 'post', attempt: 1, status: 'succeeded', inputFrom: TRIGGER_INPUT })).toMatchObject({ input: { order: 42 }, inputFrom: '$trigger' });
    });

    it('merges a reference and a copy of one step within a batch as if written one by one', async () => {
      const store = stores.store();
      const [runId] = await newRuns(store, 1);
      if (runId === undefined) throw new Error('expected a run');
      await store.writeRunProgress([
        { steps: [{ runId, nodeId: 'a', attempt: 1, status: 'running', input: { copied: 1 } }] },
        { steps: [{ runId, nodeId: 'a', attempt: 1, status: 'succeeded', inputFrom: TRIGGER_INPUT, output: 2 }] },
        { steps: [{ runId, nodeId: 'b', attempt: 1, status: 'running', inputFrom: 'a' }] },
        { steps: [{ runId, nodeId: 'b', attempt: 1, status: 'succeeded', output: 3 }] },
      ]);
      const [a, b] = await store.listSteps(runId);
      expect(a).toMatchObject({ nodeId: 'a', input: (await store.getRun(runId))?.trigger, inputFrom: '$trigger', output: 2 });
      expect(b).toMatchObject({ nodeId: 'b', input: 2, inputFrom: 'a', output: 3 });
    });

    it('caps a referenced payload like a copied one: truncated with a preview, the full value on request', async () => {
      const capped = stores.small();
      const flowId = await newFlow(capped);
      const big = { lines: Array.from({ length: 20 }, (_, i) => ({ sku: `SKU-${i}` })) };
      const [created] = await capped.createRuns([{ flowId, trigger: big, triggerKind: 'webhook', status: 'running' }]);
      const runId = created!.run.id;
      await capped.writeRunProgress([
        {
          steps: [
            { runId, nodeId: 'map', attempt: 1, status: 'succeeded', inputFrom: TRIGGER_INPUT, output: big },
            { runId, nodeId: 'post', attempt: 1, status: 'succeeded', inputFrom: 'map', output: { ok: true } },
          ],
        },
      ]);
      const bytes = Buffer.byteLength(JSON.stringify(big));
      for (const step of await capped.listSteps(runId)) {
        expect(step).toMatchObject({ input: null, inputTruncated: true, inputBytes: bytes });
        expect(JSON.stringify(big).startsWith(step.inputPreview ?? 'x')).toBe(true);
      }
      for (const step of await capped.listSteps(runId, { full: true })) expect(step.input).toEqual(big);
      expect((await capped.getStep({ runId, nodeId: 'post', attempt: 1 }, { full: true }))?.input).toEqual(big);
    });
  });
}
