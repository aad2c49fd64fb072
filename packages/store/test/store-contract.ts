import { beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, type JsonValue, type Run, type RunStatus, type Store, type StoredError } from '../src/index.ts';
import { batchContract } from './batch-contract.ts';

export interface OpenOptions {
  payloadCapBytes?: number;
}

export interface StoreHandle {
  store: Store;
  /** Closes `store` and opens the same location again; only for drivers that persist. */
  reopen?: () => Promise<Store>;
}

/** Opens a store on a fresh, empty location. The caller's test file closes and cleans up everything it opened. */
export type OpenFreshStore = (options?: OpenOptions) => Promise<StoreHandle>;

export interface ContractCapabilities {
  /** Opens `n` stores on one fresh location at the same moment (several processes starting together). */
  openConcurrently?: (n: number) => Promise<Store[]>;
}

const LATEST_MIGRATION = Math.max(...MIGRATIONS.map((m) => m.id));

let unique = 0;
function uid(prefix: string): string {
  unique += 1;
  return `${prefix}-${process.pid}-${unique}-${Math.random().toString(36).slice(2, 8)}`;
}

const boom: StoredError = { code: 'HTTP_500', kind: 'transient', retryable: true, message: 'ERP said no', details: { status: 500 } };

/**
 * The behaviour every Store driver must show. Run by test/pglite.test.ts and test/postgres.test.ts.
 */
export function storeContract(name: string, open: OpenFreshStore, capabilities: ContractCapabilities = {}): void {
  describe(`store contract: ${name}`, () => {
    // Fresh PGlite instances take seconds to boot, so the suite shares two stores: `store` with the
    // default payload cap, and `small` with a 64-byte cap. Tests that look at store-wide results
    // (pruning, counting users, closing) use `small`, whose other contents they account for.
    let store: Store;
    let smallHandle: StoreHandle;
    let small: Store;

    beforeAll(async () => {
      store = (await open()).store;
      smallHandle = await open({ payloadCapBytes: 64 });
      small = smallHandle.store;
    });

    async function newFlow(draft: JsonValue = { nodes: [] }): Promise<string> {
      return (await store.createFlow({ name: uid('flow'), draft, by: 'usr_a' })).id;
    }

    describe('lifecycle', () => {
      it('is migrated on open, and migrating again applies nothing', async () => {
        expect((await store.info()).schemaVersion).toBe(LATEST_MIGRATION);
        expect(await store.migrate()).toEqual([]);
        await store.ping();
      });

      it('keeps data when the same location is opened again (if the driver persists)', async (context) => {
        if (smallHandle.reopen === undefined) {
          context.skip('this driver does not persist');
          return;
        }
        const flow = await small.createFlow({ name: 'kept', draft: { a: 1 } });
        small = await smallHandle.reopen();
        expect(await small.migrate()).toEqual([]);
        expect(await small.getFlow(flow.id)).toMatchObject({ name: 'kept', draft: { a: 1 } });
      });

      it.runIf(capabilities.openConcurrently !== undefined)('migrates once when several processes open at the same moment', async () => {
        const stores = await capabilities.openConcurrently?.(4);
        expect(stores).toHaveLength(4);
        for (const s of stores ?? []) {
          expect((await s.info()).schemaVersion).toBe(LATEST_MIGRATION);
          expect(await s.migrate()).toEqual([]);
        }
        const first = stores?.[0];
        const last = stores?.[3];
        if (first === undefined || last === undefined) throw new Error('expected 4 stores');
        const flow = await first.createFlow({ name: 'shared', draft: {} });
        expect(await last.getFlow(flow.id)).not.toBeNull();
      });
    });

    describe('flows', () => {
      it('creates, reads and lists flows', async () => {
        const flow = await store.createFlow({ name: 'Orders to ERP', draft: { nodes: [{ id: 'a' }] }, by: 'usr_a' });
        expect(flow).toMatchObject({
          name: 'Orders to ERP',
          draft: { nodes: [{ id: 'a' }] },
          rev: 1,
          enabled: false,
          currentVersion: null,
          createdBy: 'usr_a',
          deletedAt: null,
        });
        expect(flow.id).toMatch(/^flw_/);
        expect(flow.createdAt).toBeInstanceOf(Date);
        expect(await store.getFlow(flow.id)).toEqual(flow);
        expect((await store.listFlows()).map((f) => f.id)).toContain(flow.id);
        expect(await store.getFlow('flw_missing')).toBeNull();
      });

      it('refuses a second flow with the same id, naming the field', async () => {
        const id = uid('flw');
        await store.createFlow({ id, name: 'one', draft: {} });
        await expect(store.createFlow({ id, name: 'two', draft: {} })).rejects.toMatchObject({ code: 'STORE_DUPLICATE', details: { field: 'id' } });
      });

      it('updates the draft only with the current rev (optimistic concurrency)', async () => {
        const id = await newFlow({ v: 0 });
        const updated = await store.updateDraft({ id, rev: 1, draft: { v: 1 }, name: 'renamed', by: 'usr_b' });
        expect(updated).toMatchObject({ rev: 2, draft: { v: 1 }, name: 'renamed', updatedBy: 'usr_b' });

        // A second editor still holding rev 1 loses, and the stored draft is untouched.
        await expect(store.updateDraft({ id, rev: 1, draft: { v: 'stale' } })).rejects.toMatchObject({ code: 'STORE_CONFLICT', details: { currentRev: 2 } });
        expect(await store.getFlow(id)).toMatchObject({ rev: 2, draft: { v: 1 } });
        await expect(store.updateDraft({ id: 'flw_missing', rev: 1, draft: {} })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
      });

      it('lets exactly one of several concurrent editors of the same rev win', async () => {
        const id = await newFlow();
        const results = await Promise.allSettled(
          Array.from({ length: 5 }, (_, i) => store.updateDraft({ id, rev: 1, draft: { editor: i } })),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect((await store.getFlow(id))?.rev).toBe(2);
      });

      it('soft-deletes: hidden from list and get, disabled, still readable on request', async () => {
        const id = await newFlow();
        await store.publish({ flowId: id });
        await store.setEnabled({ id, enabled: true });
        await store.deleteFlow(id, 'usr_admin');
        expect(await store.getFlow(id)).toBeNull();
        expect((await store.listFlows()).map((f) => f.id)).not.toContain(id);
        const deleted = await store.getFlow(id, { includeDeleted: true });
        expect(deleted).toMatchObject({ enabled: false, updatedBy: 'usr_admin' });
        expect(deleted?.deletedAt).toBeInstanceOf(Date);
        expect((await store.listFlows({ includeDeleted: true })).map((f) => f.id)).toContain(id);
        await expect(store.deleteFlow(id)).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
        await expect(store.updateDraft({ id, rev: 1, draft: {} })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
        // Its versions stay readable for the runs that used them.
        expect(await store.getVersion(id, 1)).not.toBeNull();
      });

      it('enables only a published flow', async () => {
        const id = await newFlow();
        await expect(store.setEnabled({ id, enabled: true })).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
        await store.publish({ flowId: id });
        expect(await store.setEnabled({ id, enabled: true, by: 'usr_admin' })).toMatchObject({ enabled: true });
        expect(await store.setEnabled({ id, enabled: false })).toMatchObject({ enabled: false });
        await expect(store.setEnabled({ id: 'flw_missing', enabled: false })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
      });
    });

    describe('versions', () => {
      it('numbers versions 1, 2, … and keeps each one immutable', async () => {
        const id = await newFlow({ step: 'first' });
        const v1 = await store.publish({ flowId: id, by: 'usr_admin', note: 'go live' });
        expect(v1).toMatchObject({ flowId: id, version: 1, document: { step: 'first' }, publishedBy: 'usr_admin', note: 'go live' });
        expect((await store.getFlow(id))?.currentVersion).toBe(1);

        await store.updateDraft({ id, rev: 1, draft: { step: 'second' } });
        const v2 = await store.publish({ flowId: id });
        expect(v2.version).toBe(2);
        expect((await store.getVersion(id, 1))?.document).toEqual({ step: 'first' });
        expect((await store.getVersion(id, 2))?.document).toEqual({ step: 'second' });
        expect((await store.getFlow(id))?.currentVersion).toBe(2);

        const listed = await store.listVersions(id);
        expect(listed.map((v) => v.version)).toEqual([2, 1]);
        expect(listed[0]).not.toHaveProperty('document');
        expect(await store.getVersion(id, 3)).toBeNull();
      });

      it('names the publisher on every read of a version: their name, else their e-mail, null for no user', async () => {
        const ada = await store.createUser({ email: `${uid('ada')}@example.com`, name: 'Ada Lovelace', role: 'admin' });
        const unnamed = await store.createUser({ email: `${uid('grace')}@example.com`, name: '  ', role: 'admin' });
        const id = await newFlow();
        expect(await store.publish({ flowId: id, by: ada.id })).toMatchObject({ publishedBy: ada.id, publishedByName: 'Ada Lovelace' });
        await store.publish({ flowId: id, by: unnamed.id });
        await store.publish({ flowId: id, by: 'usr_gone' });
        await store.publish({ flowId: id, by: 'cli' });
        await store.publish({ flowId: id });
        expect((await store.listVersions(id)).map((v) => [v.version, v.publishedBy, v.publishedByName])).toEqual([
          [5, null, null],
          [4, 'cli', null],
          [3, 'usr_gone', null],
          [2, unnamed.id, unnamed.email],
          [1, ada.id, 'Ada Lovelace'],
        ]);
        expect(await store.getVersion(id, 1)).toMatchObject({ publishedBy: ada.id, publishedByName: 'Ada Lovelace' });
        // The name is read, not copied: a renamed user shows the new name on old versions.
        await store.updateUser({ id: ada.id, name: 'Augusta Ada King' });
        expect((await store.getVersion(id, 1))?.publishedByName).toBe('Augusta Ada King');
      });

      it('gives concurrent publishes distinct consecutive numbers', async () => {
        const id = await newFlow();
        const versions = await Promise.all(Array.from({ length: 6 }, () => store.publish({ flowId: id })));
        expect(versions.map((v) => v.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
        expect((await store.getFlow(id))?.currentVersion).toBe(6);
      });

      it('refuses to publish a draft that changed since the given rev, and unknown flows', async () => {
        const id = await newFlow();
        await store.updateDraft({ id, rev: 1, draft: { changed: true } });
        await expect(store.publish({ flowId: id, rev: 1 })).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
        expect(await store.listVersions(id)).toEqual([]);
        expect((await store.publish({ flowId: id, rev: 2 })).document).toEqual({ changed: true });
        await expect(store.publish({ flowId: 'flw_missing' })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
      });
    });

    describe('runs', () => {
      it('creates a run with defaults and reads it back', async () => {
        const flowId = await newFlow();
        const { run, created } = await store.createRun({ flowId, version: 3, trigger: { id: 42, note: 'ünïcode' }, triggerKind: 'webhook' });
        expect(created).toBe(true);
        expect(run).toMatchObject({
          flowId,
          version: 3,
          status: 'queued',
          trigger: { id: 42, note: 'ünïcode' },
          triggerKind: 'webhook',
          dedupeKey: null,
          priority: 0,
          attempt: 0,
          error: null,
          startedAt: null,
          finishedAt: null,
          test: false,
          replayOf: null,
        });
        expect(run.id).toMatch(/^run_/);
        expect(await store.getRun(run.id)).toEqual(run);
        expect(await store.getRun('run_missing')).toBeNull();
      });

      it('creates exactly one run when 20 deliveries with the same dedupe key arrive at once', async () => {
        const flowId = await newFlow();
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.createRun({ flowId, trigger: { delivery: i }, triggerKind: 'webhook', dedupeKey: 'shopify-delivery-1' }),
          ),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.run.id)).size).toBe(1);
        const page = await store.listRuns({ flowId });
        expect(page.items).toHaveLength(1);
      });

      it('scopes dedupe keys per flow, and runs without a key never collide', async () => {
        const a = await newFlow();
        const b = await newFlow();
        expect((await store.createRun({ flowId: a, trigger: {}, triggerKind: 'webhook', dedupeKey: 'k' })).created).toBe(true);
        expect((await store.createRun({ flowId: b, trigger: {}, triggerKind: 'webhook', dedupeKey: 'k' })).created).toBe(true);
        expect((await store.createRun({ flowId: a, trigger: {}, triggerKind: 'webhook', dedupeKey: 'k' })).created).toBe(false);
        expect((await store.createRun({ flowId: a, trigger: {}, triggerKind: 'manual' })).created).toBe(true);
        expect((await store.createRun({ flowId: a, trigger: {}, triggerKind: 'manual', dedupeKey: null })).created).toBe(true);
        expect((await store.listRuns({ flowId: a })).items).toHaveLength(3);
      });

      it('updates status, attempts, timings and errors', async () => {
        const flowId = await newFlow();
        const { run } = await store.createRun({ flowId, trigger: {}, triggerKind: 'schedule', priority: 5, test: true });
        const startedAt = new Date('2025-03-01T10:00:00.000Z');
        const running = await store.updateRun({ id: run.id, status: 'running', startedAt, attempt: 1, expectStatus: ['queued'] });
        expect(running).toMatchObject({ status: 'running', startedAt, attempt: 1, priority: 5, test: true });
        const failed = await store.updateRun({ id: run.id, status: 'failed', error: boom, finishedAt: new Date('2025-03-01T10:00:02.000Z') });
        expect(failed.error).toEqual(boom);
        expect(failed.finishedAt?.toISOString()).toBe('2025-03-01T10:00:02.000Z');
        const resolved = await store.updateRun({ id: run.id, status: 'resolved', error: null });
        expect(resolved).toMatchObject({ status: 'resolved', error: null });
        expect(await store.updateRun({ id: run.id })).toEqual(resolved);
      });

      it('refuses a status change from an unexpected status (claiming a run twice)', async () => {
        const flowId = await newFlow();
        const { run } = await store.createRun({ flowId, trigger: {}, triggerKind: 'webhook' });
        const claims = await Promise.allSettled(
          Array.from({ length: 4 }, () => store.updateRun({ id: run.id, status: 'running', expectStatus: ['queued'] })),
        );
        expect(claims.filter((c) => c.status === 'fulfilled')).toHaveLength(1);
        const lost = claims.find((c) => c.status === 'rejected');
        expect(lost?.status === 'rejected' ? lost.reason : undefined).toMatchObject({ code: 'STORE_CONFLICT', details: { status: 'running' } });
        await expect(store.updateRun({ id: 'run_missing', status: 'failed' })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
      });

      it('records replays', async () => {
        const flowId = await newFlow();
        const { run } = await store.createRun({ flowId, trigger: {}, triggerKind: 'webhook' });
        const { run: replay } = await store.createRun({ flowId, trigger: {}, triggerKind: 'replay', replayOf: run.id, replayFromNode: 'createSO' });
        expect(replay).toMatchObject({ replayOf: run.id, replayFromNode: 'createSO' });
      });
    });

    describe('listing runs', () => {
      let flowId: string;
      let otherFlow: string;
      const all: Run[] = [];

      beforeAll(async () => {
        flowId = await newFlow();
        otherFlow = await newFlow();
        const base = Date.parse('2025-01-01T00:00:00.000Z');
        const statuses: RunStatus[] = ['succeeded', 'failed', 'queued', 'running', 'succeeded'];
        // Runs that share a created_at, at millisecond and at the database's microsecond precision:
        // cursors must neither skip nor repeat them.
        for (let i = 0; i < 23; i++) {
          const createdAt = new Date(base + Math.floor(i / 3) * 1000);
          const status = statuses[i % statuses.length] ?? 'queued';
          all.push((await store.createRun({ flowId, trigger: { i }, triggerKind: 'webhook', createdAt, status: 'queued', test: i % 4 === 0 })).run);
          if (status !== 'queued') await store.updateRun({ id: all[all.length - 1]?.id ?? '', status });
        }
        for (let i = 0; i < 7; i++) all.push((await store.createRun({ flowId, trigger: { now: i }, triggerKind: 'webhook' })).run);
        await store.createRun({ flowId: otherFlow, trigger: {}, triggerKind: 'webhook' });
      });

      async function collect(input: Parameters<Store['listRuns']>[0], pageSize: number): Promise<Run[]> {
        const seen: Run[] = [];
        let cursor: string | null = null;
        for (let pages = 0; pages < 100; pages++) {
          const page = await store.listRuns({ ...input, limit: pageSize, cursor });
          expect(page.items.length).toBeLessThanOrEqual(pageSize);
          seen.push(...page.items);
          cursor = page.nextCursor;
          if (cursor === null) return seen;
        }
        throw new Error('pagination did not end');
      }

      it('pages newest first with no duplicates and no gaps', async () => {
        for (const pageSize of [1, 4, 7, 30, 31]) {
          const seen = await collect({ flowId }, pageSize);
          const ids = seen.map((r) => r.id);
          expect(new Set(ids).size).toBe(ids.length);
          expect(new Set(ids)).toEqual(new Set(all.map((r) => r.id)));
          for (let i = 1; i < seen.length; i++) {
            expect(seen[i - 1]?.createdAt.getTime()).toBeGreaterThanOrEqual(seen[i]?.createdAt.getTime() ?? Infinity);
          }
        }
        // The seven created with now() are newer than the 2025 ones.
        expect((await store.listRuns({ flowId, limit: 7 })).items.map((r) => r.id).sort()).toEqual(
          all.slice(23).map((r) => r.id).sort(),
        );
      });

      it('filters by status, time range, test flag and flow', async () => {
        const failed = await collect({ flowId, status: ['failed', 'running'] }, 2);
        expect(failed.map((r) => r.status).sort()).toEqual([...Array<string>(5).fill('failed'), ...Array<string>(4).fill('running')]);
        const from = new Date('2025-01-01T00:00:02.000Z');
        const to = new Date('2025-01-01T00:00:04.000Z');
        const ranged = await collect({ flowId, from, to }, 4);
        expect(ranged).toHaveLength(6);
        for (const r of ranged) {
          expect(r.createdAt >= from && r.createdAt < to).toBe(true);
        }
        const tests = await collect({ flowId, test: true }, 50);
        expect(tests).toHaveLength(6);
        expect(await collect({ flowId: otherFlow }, 10)).toHaveLength(1);
        expect((await store.listRuns({ flowId, status: [] })).items).toEqual([]);
      });

      it('rejects a cursor it did not issue and a bad limit', async () => {
        await expect(store.listRuns({ cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'STORE_INVALID_INPUT', details: { field: 'cursor' } });
        await expect(store.listRuns({ limit: 0 })).rejects.toMatchObject({ code: 'STORE_INVALID_INPUT' });
      });

      it('counts runs by status per flow and since a time', async () => {
        expect(await store.countRunsByStatus({ flowId })).toEqual({ queued: 5 + 7, running: 4, waiting: 0, succeeded: 9, failed: 5, cancelled: 0, resolved: 0 });
        const since = await store.countRunsByStatus({ flowId, since: new Date('2025-01-01T00:00:06.000Z') });
        expect(since.queued + since.running + since.succeeded + since.failed).toBe(5 + 7);
      });
    });

    describe('run durations', () => {
      it('computes percentiles in SQL and lists raw durations', async () => {
        const flowId = await newFlow();
        const base = Date.parse('2025-02-01T00:00:00.000Z');
        for (const [i, ms] of [1000, 2000, 3000, 4000].entries()) {
          const createdAt = new Date(base + i * 60_000);
          const { run } = await store.createRun({ flowId, trigger: {}, triggerKind: 'webhook', createdAt });
          await store.updateRun({ id: run.id, status: i === 3 ? 'failed' : 'succeeded', finishedAt: new Date(createdAt.getTime() + ms) });
        }
        await store.createRun({ flowId, trigger: {}, triggerKind: 'webhook' }); // unfinished: not counted
        const stats = await store.runDurationStats({ flowId });
        expect(stats).toMatchObject({ count: 4, avgMs: 2500, p50Ms: 2500, maxMs: 4000 });
        expect(stats.p95Ms).toBeCloseTo(3850, 6);
        expect((await store.runDurationStats({ flowId, status: ['succeeded'] })).p50Ms).toBe(2000);
        const durations = await store.runDurations({ flowId });
        expect(durations.map((d) => d.durationMs)).toEqual([1000, 2000, 3000, 4000]);
        expect(durations[3]).toMatchObject({ status: 'failed', flowId });
        expect(await store.runDurationStats({ flowId: 'flw_none' })).toEqual({
          count: 0, avgMs: null, p50Ms: null, p90Ms: null, p95Ms: null, p99Ms: null, maxMs: null,
        });
      });
    });

    describe('unfinished runs (crash recovery)', () => {
      it('returns queued, running and waiting runs, oldest first', async () => {
        const s = store;
        const flowId = (await s.createFlow({ name: 'f', draft: {} })).id;
        const make = async (status: RunStatus, minute: number): Promise<string> => {
          const { run } = await s.createRun({ flowId, trigger: {}, triggerKind: 'webhook', createdAt: new Date(Date.UTC(2025, 0, 1, 0, minute)) });
          if (status !== 'queued') await s.updateRun({ id: run.id, status });
          return run.id;
        };
        const running = await make('running', 2);
        await make('succeeded', 0);
        const queued = await make('queued', 1);
        await make('cancelled', 3);
        const waiting = await make('waiting', 4);
        await make('failed', 5);
        const unfinished = await s.unfinishedRuns();
        expect(unfinished.filter((r) => r.flowId === flowId).map((r) => r.id)).toEqual([queued, running, waiting]);
        expect(unfinished.every((r) => r.status === 'queued' || r.status === 'running' || r.status === 'waiting')).toBe(true);
      });
    });

    describe('steps', () => {
      async function newRun(s: Store): Promise<string> {
        const flowId = (await s.createFlow({ name: uid('flow'), draft: {} })).id;
        return (await s.createRun({ flowId, trigger: {}, triggerKind: 'webhook' })).run.id;
      }

      it('upserts by (run, node, attempt), keeping fields a later write leaves out', async () => {
        const runId = await newRun(store);
        const startedAt = new Date('2025-01-01T00:00:00.000Z');
        await store.upsertStep({ runId, nodeId: 'toSO', attempt: 1, status: 'running', input: { order: 1 }, startedAt });
        const done = await store.upsertStep({
          runId, nodeId: 'toSO', attempt: 1, status: 'succeeded', output: { so: 'SO-1' },
          logs: ['mapped 3 lines'], finishedAt: new Date('2025-01-01T00:00:00.250Z'), durationMs: 250,
        });
        expect(done).toMatchObject({
          status: 'succeeded', input: { order: 1 }, output: { so: 'SO-1' }, logs: ['mapped 3 lines'],
          startedAt, durationMs: 250, error: null, inputTruncated: false, outputTruncated: false,
        });
        expect(await store.getStep({ runId, nodeId: 'toSO', attempt: 1 })).toEqual(done);
        expect(await store.getStep({ runId, nodeId: 'toSO', attempt: 2 })).toBeNull();
      });

      it('records failures and retries as separate attempts, listed in execution order', async () => {
        const runId = await newRun(store);
        const t = (ms: number): Date => new Date(Date.UTC(2025, 0, 1) + ms);
        await store.upsertStep({ runId, nodeId: 'trigger', attempt: 1, status: 'succeeded', startedAt: t(0), output: null });
        await store.upsertStep({ runId, nodeId: 'createSO', attempt: 2, status: 'succeeded', startedAt: t(300) });
        await store.upsertStep({ runId, nodeId: 'createSO', attempt: 1, status: 'failed', startedAt: t(100), error: boom });
        await store.upsertStep({ runId, nodeId: 'notify', attempt: 1, status: 'skipped' });
        const steps = await store.listSteps(runId);
        expect(steps.map((s) => `${s.nodeId}#${s.attempt}`)).toEqual(['trigger#1', 'createSO#1', 'createSO#2', 'notify#1']);
        expect(steps[1]?.error).toEqual(boom);
        expect(steps[0]?.output).toBeNull();
      });

      it('keeps a waiting step with its reason until the same attempt records its outcome', async () => {
        const runId = await newRun(store);
        const waitingFor = { code: 'RETRY_LATER', kind: 'transient' as const, retryable: true, message: 'waiting until 2025-01-01T02:00:00.000Z', details: { resumeAt: '2025-01-01T02:00:00.000Z' } };
        await store.upsertStep({ runId, nodeId: 'wait', attempt: 1, status: 'waiting', input: { order: 1 }, error: waitingFor });
        expect(await store.getStep({ runId, nodeId: 'wait', attempt: 1 })).toMatchObject({ status: 'waiting', error: waitingFor, output: null });
        await store.upsertStep({ runId, nodeId: 'wait', attempt: 1, status: 'succeeded', output: { order: 1 }, error: null });
        expect(await store.listSteps(runId)).toMatchObject([{ nodeId: 'wait', attempt: 1, status: 'succeeded', input: { order: 1 }, output: { order: 1 }, error: null }]);
      });

      it('refuses a step of a run that does not exist', async () => {
        await expect(store.upsertStep({ runId: 'run_missing', nodeId: 'a', attempt: 1, status: 'running' })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND', details: { field: 'runId' } });
      });

      it('stores a large output apart, keeps a preview, and reads the full output back on request', async () => {
        const capped = small;
        const runId = await newRun(capped);
        const big = { lines: Array.from({ length: 200 }, (_, i) => ({ sku: `SKU-${i}`, qty: i, note: 'ä€𝄞' })) };
        const bigText = JSON.stringify(big);
        const step = await capped.upsertStep({ runId, nodeId: 'fetch', attempt: 1, status: 'succeeded', input: { small: true }, output: big });
        expect(step).toMatchObject({ output: null, outputTruncated: true, outputBytes: Buffer.byteLength(bigText), input: { small: true }, inputTruncated: false });
        expect(step.outputPreview).not.toBeNull();
        expect(bigText.startsWith(step.outputPreview ?? 'x')).toBe(true);
        expect((step.outputPreview ?? '').length).toBeLessThan(bigText.length);

        expect((await capped.getStep({ runId, nodeId: 'fetch', attempt: 1 }))?.output).toBeNull();
        expect((await capped.getStep({ runId, nodeId: 'fetch', attempt: 1 }, { full: true }))?.output).toEqual(big);
        expect((await capped.listSteps(runId, { full: true }))[0]?.output).toEqual(big);

        // Large inputs are capped the same way.
        const withBigInput = await capped.upsertStep({ runId, nodeId: 'map', attempt: 1, status: 'running', input: big });
        expect(withBigInput).toMatchObject({ input: null, inputTruncated: true });
        expect((await capped.getStep({ runId, nodeId: 'map', attempt: 1 }, { full: true }))?.input).toEqual(big);

        // A later small output replaces the capped one.
        const replaced = await capped.upsertStep({ runId, nodeId: 'fetch', attempt: 1, status: 'succeeded', output: { ok: 1 } });
        expect(replaced).toMatchObject({ output: { ok: 1 }, outputTruncated: false, outputPreview: null });
      });

      it('keeps output under the cap inline (default cap is 64 KiB)', async () => {
        const runId = await newRun(store);
        const medium = { text: 'x'.repeat(60 * 1024) };
        const step = await store.upsertStep({ runId, nodeId: 'n', attempt: 1, status: 'succeeded', output: medium });
        expect(step).toMatchObject({ output: medium, outputTruncated: false });
        const over = { text: 'x'.repeat(70 * 1024) };
        expect(await store.upsertStep({ runId, nodeId: 'n', attempt: 2, status: 'succeeded', output: over })).toMatchObject({ outputTruncated: true });
      });
    });

    describe('pruning', () => {
      it('deletes old finished runs with their steps and blobs in batches, never queued, running or waiting ones', async () => {
        const s = small;
        const flowId = (await s.createFlow({ name: 'f', draft: {} })).id;
        const old = new Date('2024-01-01T00:00:00.000Z');
        const make = async (status: RunStatus, createdAt: Date): Promise<string> => {
          const { run } = await s.createRun({ flowId, trigger: {}, triggerKind: 'webhook', createdAt });
          if (status !== 'queued') await s.updateRun({ id: run.id, status });
          await s.upsertStep({ runId: run.id, nodeId: 'a', attempt: 1, status: 'succeeded', output: { blob: 'y'.repeat(200) } });
          return run.id;
        };
        const oldFinished: string[] = [];
        for (const status of ['succeeded', 'failed', 'cancelled', 'resolved', 'succeeded', 'failed', 'succeeded'] as const) {
          oldFinished.push(await make(status, old));
        }
        const oldQueued = await make('queued', old);
        const oldRunning = await make('running', old);
        const oldWaiting = await make('waiting', old);
        const recent = await make('succeeded', new Date());

        const result = await s.pruneRuns({ olderThanMs: 30 * 24 * 3600 * 1000, batchSize: 3 });
        expect(result).toEqual({ deletedRuns: 7, batches: 3 });
        for (const id of oldFinished) {
          expect(await s.getRun(id)).toBeNull();
          expect(await s.getStep({ runId: id, nodeId: 'a', attempt: 1 }, { full: true })).toBeNull();
        }
        for (const id of [oldQueued, oldRunning, oldWaiting, recent]) {
          expect(await s.getRun(id)).not.toBeNull();
          expect((await s.getStep({ runId: id, nodeId: 'a', attempt: 1 }, { full: true }))?.output).toEqual({ blob: 'y'.repeat(200) });
        }
        // Nothing left to do: a second pass deletes nothing.
        expect((await s.pruneRuns({ olderThanMs: 30 * 24 * 3600 * 1000 })).deletedRuns).toBe(0);
      });

      it('keeps the newest finished runs per flow', async () => {
        // Other flows in `small` hold only queued runs and at most one finished run each.
        const s = small;
        const a = (await s.createFlow({ name: 'a', draft: {} })).id;
        const b = (await s.createFlow({ name: 'b', draft: {} })).id;
        const runs: Record<string, string[]> = { [a]: [], [b]: [] };
        for (const flowId of [a, b]) {
          for (let i = 0; i < 6; i++) {
            const { run } = await s.createRun({ flowId, trigger: {}, triggerKind: 'webhook', createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)) });
            await s.updateRun({ id: run.id, status: 'succeeded' });
            runs[flowId]?.push(run.id);
          }
        }
        const queued = (await s.createRun({ flowId: a, trigger: {}, triggerKind: 'webhook', createdAt: new Date(Date.UTC(2020, 0, 1)) })).run.id;
        const result = await s.pruneRuns({ keepPerFlow: 2, batchSize: 3 });
        expect(result.deletedRuns).toBe(8);
        const left = [...(await s.listRuns({ flowId: a })).items, ...(await s.listRuns({ flowId: b })).items].map((r) => r.id).sort();
        expect(left).toEqual([...(runs[a] ?? []).slice(4), ...(runs[b] ?? []).slice(4), queued].sort());
        await expect(s.pruneRuns({})).rejects.toMatchObject({ code: 'STORE_INVALID_INPUT' });
      });
    });

    describe('connections', () => {
      it('creates, renames, updates ciphertext, lists by connector and deletes', async () => {
        const name = uid('shopify-main');
        const c = await store.createConnection({ name, connector: 'shopify', config: { shop: 'acme' }, secretCiphertext: 'v1:abc', by: 'usr_a' });
        expect(c).toMatchObject({ name, connector: 'shopify', config: { shop: 'acme' }, secretCiphertext: 'v1:abc', createdBy: 'usr_a' });
        expect(await store.getConnectionByName(name)).toEqual(c);
        await expect(store.createConnection({ name, connector: 'erp' })).rejects.toMatchObject({ code: 'STORE_DUPLICATE', details: { field: 'name' } });
        const renamed = `${name}-2`;
        const updated = await store.updateConnection({ id: c.id, name: renamed, secretCiphertext: 'v1:def', by: 'usr_b' });
        expect(updated).toMatchObject({ name: renamed, config: { shop: 'acme' }, secretCiphertext: 'v1:def', updatedBy: 'usr_b' });
        expect((await store.listConnections({ connector: 'shopify' })).map((x) => x.id)).toContain(c.id);
        expect((await store.listConnections({ connector: 'erp' })).map((x) => x.id)).not.toContain(c.id);
        await store.deleteConnection(c.id);
        expect(await store.getConnection(c.id)).toBeNull();
        await expect(store.deleteConnection(c.id)).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
        await expect(store.updateConnection({ id: c.id, name: 'x' })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
      });
    });

    describe('users: the last active admin', () => {
      // Its own location: the rule is about every admin in the store. Where the driver can, two stores
      // (two pools, as two server processes) share it, so the races below run on separate connections.
      let a: Store;
      let b: Store;

      beforeAll(async () => {
        const two = await capabilities.openConcurrently?.(2);
        if (two !== undefined) [a, b] = two as [Store, Store];
        else a = b = (await open()).store;
      });

      /** Leaves exactly `n` new active admins: every other active admin is demoted first (unguarded). */
      async function onlyAdmins(n: number): Promise<string[]> {
        for (const u of await a.listUsers()) if (u.role === 'admin' && !u.disabled) await a.updateUser({ id: u.id, role: 'viewer' });
        const ids: string[] = [];
        for (let i = 0; i < n; i++) ids.push((await a.createUser({ email: `${uid('admin')}@x.io`, role: 'admin' })).id);
        return ids;
      }

      const lastAdmin = { code: 'STORE_CONFLICT', retryable: false, details: { rule: 'last-admin' } };

      it('refuses to demote or disable the only active admin, and allows it while another one is left', async () => {
        const [only] = (await onlyAdmins(1)) as [string];
        await expect(a.updateUser({ id: only, role: 'analyst', keepAnActiveAdmin: true })).rejects.toMatchObject({ ...lastAdmin, details: { userId: only } });
        await expect(a.updateUser({ id: only, disabled: true, keepAnActiveAdmin: true })).rejects.toMatchObject(lastAdmin);
        expect(await a.getUser(only)).toMatchObject({ role: 'admin', disabled: false });
        // Changes that keep the admin, and changes to other users, pass.
        expect(await a.updateUser({ id: only, role: 'admin', disabled: false, name: 'Still admin', keepAnActiveAdmin: true })).toMatchObject({ name: 'Still admin' });
        const viewer = await a.createUser({ email: `${uid('v')}@x.io`, role: 'viewer' });
        expect(await a.updateUser({ id: viewer.id, disabled: true, keepAnActiveAdmin: true })).toMatchObject({ disabled: true });
        // A disabled admin does not count.
        const dormant = await a.createUser({ email: `${uid('d')}@x.io`, role: 'admin', disabled: true });
        await expect(a.updateUser({ id: only, role: 'viewer', keepAnActiveAdmin: true })).rejects.toMatchObject(lastAdmin);
        expect(await a.updateUser({ id: dormant.id, disabled: false })).toMatchObject({ disabled: false });
        expect(await a.updateUser({ id: only, role: 'viewer', keepAnActiveAdmin: true })).toMatchObject({ role: 'viewer' });
        expect(await a.countUsers({ role: 'admin' })).toBe(1);
        await expect(a.updateUser({ id: 'usr_missing', disabled: true, keepAnActiveAdmin: true })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
      });

      it('lets exactly one of two concurrent demotions or disablings of the last two admins through', async () => {
        const changes = [
          [{ role: 'viewer' }, { role: 'viewer' }],
          [{ disabled: true }, { role: 'analyst' }],
          [{ disabled: true }, { disabled: true }],
        ] as const;
        for (let round = 0; round < 6; round++) {
          const [x, y] = (await onlyAdmins(2)) as [string, string];
          const [cx, cy] = changes[round % changes.length]!;
          const results = await Promise.allSettled([
            a.updateUser({ id: x, ...cx, keepAnActiveAdmin: true }),
            b.updateUser({ id: y, ...cy, keepAnActiveAdmin: true }),
          ]);
          expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
          expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: lastAdmin });
          expect(await b.countUsers({ role: 'admin' })).toBe(1);
        }
      });
    });

    describe('users, sessions, API tokens', () => {
      it('treats e-mail addresses case-insensitively', async () => {
        const local = uid('Ada');
        const user = await store.createUser({ email: `${local}@Example.com`, name: 'Ada', role: 'admin', passwordHash: '$argon2id$x' });
        expect(user).toMatchObject({ email: `${local}@Example.com`, role: 'admin', disabled: false });
        expect((await store.getUserByEmail(`${local.toUpperCase()}@EXAMPLE.COM`))?.id).toBe(user.id);
        await expect(store.createUser({ email: `${local.toLowerCase()}@example.com`, role: 'viewer' })).rejects.toMatchObject({ code: 'STORE_DUPLICATE', details: { field: 'email' } });
        const other = await store.createUser({ email: `${uid('bob')}@example.com`, role: 'viewer' });
        await expect(store.updateUser({ id: other.id, email: user.email.toUpperCase() })).rejects.toMatchObject({ code: 'STORE_DUPLICATE' });
      });

      it('updates and counts users', async () => {
        const s = small;
        const a = await s.createUser({ email: 'a@x.io', role: 'admin' });
        await s.createUser({ email: 'b@x.io', role: 'analyst' });
        expect(await s.countUsers()).toBe(2);
        expect(await s.countUsers({ role: 'admin' })).toBe(1);
        const changed = await s.updateUser({ id: a.id, role: 'viewer', disabled: true, name: 'A' });
        expect(changed).toMatchObject({ role: 'viewer', disabled: true, name: 'A' });
        expect(await s.countUsers({ role: 'admin' })).toBe(0);
        expect(await s.countUsers()).toBe(1);
        expect(await s.countUsers({ includeDisabled: true })).toBe(2);
        expect((await s.listUsers()).map((u) => u.email)).toEqual(['a@x.io', 'b@x.io']);
        await expect(s.createUser({ email: 'c@x.io', role: 'root' as 'admin' })).rejects.toMatchObject({ code: 'STORE_INVALID_INPUT' });
        await expect(s.updateUser({ id: 'usr_missing', name: 'n' })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
      });

      it('creates, touches, revokes and expires sessions', async () => {
        const user = await store.createUser({ email: `${uid('s')}@x.io`, role: 'analyst' });
        const expiresAt = new Date(Date.now() + 3600_000);
        const id = uid('sess-hash');
        const session = await store.createSession({ id, userId: user.id, expiresAt, ip: '127.0.0.1', userAgent: 'vitest' });
        expect(session).toMatchObject({ id, userId: user.id, expiresAt, revokedAt: null, lastSeenAt: null, ip: '127.0.0.1' });
        const seen = new Date('2025-05-05T05:05:05.000Z');
        await store.touchSession(id, seen);
        expect((await store.getSession(id))?.lastSeenAt).toEqual(seen);
        await store.revokeSession(id);
        expect((await store.getSession(id))?.revokedAt).toBeInstanceOf(Date);

        const other = uid('sess-hash');
        await store.createSession({ id: other, userId: user.id, expiresAt });
        expect(await store.revokeUserSessions(user.id)).toBe(1);
        const expired = uid('sess-hash');
        await store.createSession({ id: expired, userId: user.id, expiresAt: new Date('2000-01-01T00:00:00Z') });
        expect(await store.deleteExpiredSessions(new Date('2001-01-01T00:00:00Z'))).toBeGreaterThanOrEqual(1);
        expect(await store.getSession(expired)).toBeNull();
        await expect(store.createSession({ id: uid('x'), userId: 'usr_missing', expiresAt })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
        await expect(store.touchSession('missing')).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
      });

      it('stores API tokens by hash', async () => {
        const user = await store.createUser({ email: `${uid('t')}@x.io`, role: 'admin' });
        const hash = uid('sha256');
        const token = await store.createApiToken({ userId: user.id, name: 'ci', tokenHash: hash });
        expect(await store.getApiTokenByHash(hash)).toEqual(token);
        await expect(store.createApiToken({ userId: user.id, name: 'dup', tokenHash: hash })).rejects.toMatchObject({ code: 'STORE_DUPLICATE', details: { field: 'tokenHash' } });
        await store.touchApiToken(token.id);
        await store.revokeApiToken(token.id);
        const [listed] = await store.listApiTokens(user.id);
        expect(listed?.lastUsedAt).toBeInstanceOf(Date);
        expect(listed?.revokedAt).toBeInstanceOf(Date);
      });
    });

    describe('audit', () => {
      it('appends entries and lists them newest first with filters and cursor pages', async () => {
        const target = uid('flw');
        const actor = uid('usr');
        const base = Date.parse('2025-06-01T00:00:00.000Z');
        const written = [];
        for (let i = 0; i < 9; i++) {
          written.push(
            await store.appendAudit({
              actor: i % 3 === 0 ? 'system' : actor,
              action: i % 2 === 0 ? 'flow.publish' : 'flow.update',
              targetType: 'flow',
              targetId: target,
              details: { i },
              ip: '10.0.0.1',
              at: new Date(base + Math.floor(i / 2) * 1000),
            }),
          );
        }
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await store.listAudit({ targetType: 'flow', targetId: target, limit: 2, cursor });
          seen.push(...page.items.map((e) => e.id));
          cursor = page.nextCursor;
        } while (cursor !== null);
        expect(seen).toHaveLength(9);
        expect(new Set(seen)).toEqual(new Set(written.map((e) => e.id)));
        const first = await store.listAudit({ targetId: target, limit: 1 });
        expect(first.items[0]).toMatchObject({ details: { i: 8 }, ip: '10.0.0.1' });

        const byActor = await store.listAudit({ actor, targetId: target, action: 'flow.update' });
        expect(byActor.items.map((e) => e.details)).toEqual([{ i: 7 }, { i: 5 }, { i: 1 }]);
        const ranged = await store.listAudit({ targetId: target, from: new Date(base + 1000), to: new Date(base + 3000) });
        // Entries sharing a timestamp come in id order, so compare as a set.
        expect(ranged.items.map((e) => JSON.stringify(e.details)).sort()).toEqual(['{"i":2}', '{"i":3}', '{"i":4}', '{"i":5}']);
      });

      it('names the actor of each entry: a user by name (else e-mail) and e-mail, anything else by nothing', async () => {
        const target = uid('flw');
        const ada = await store.createUser({ email: `${uid('ada')}@example.com`, name: 'Ada Lovelace', role: 'admin' });
        const unnamed = await store.createUser({ email: `${uid('grace')}@example.com`, role: 'analyst' });
        const appended = await store.appendAudit({ actor: ada.id, action: 'flow.publish', targetType: 'flow', targetId: target });
        expect(appended).toMatchObject({ actor: ada.id, actorName: 'Ada Lovelace', actorEmail: ada.email });
        for (const actor of [unnamed.id, 'usr_gone', 'system']) await store.appendAudit({ actor, action: 'flow.update', targetType: 'flow', targetId: target });
        const page = await store.listAudit({ targetId: target, limit: 2 });
        const rest = await store.listAudit({ targetId: target, cursor: page.nextCursor });
        const named = new Map([...page.items, ...rest.items].map((e) => [e.actor, [e.actorName, e.actorEmail]]));
        expect(Object.fromEntries(named)).toEqual({
          [ada.id]: ['Ada Lovelace', ada.email],
          [unnamed.id]: [unnamed.email, unnamed.email],
          usr_gone: [null, null],
          system: [null, null],
        });
        expect((await store.listAudit({ actor: ada.id, targetId: target })).items.map((e) => e.actorName)).toEqual(['Ada Lovelace']);
      });
    });

    describe('xref', () => {
      it('links ids across systems and merges links that turn out to be the same entity', async () => {
        const entity = uid('customer');
        const first = await store.xrefLink({ entity, ids: { shopify: '7390114553916', erp: 'C00042' } });
        expect(first.ids).toEqual({ shopify: '7390114553916', erp: 'C00042' });
        const crm = await store.xrefLink({ entity, ids: { crm: '98765', pim: 'P-1' } });
        expect(crm.linkId).not.toBe(first.linkId);

        // The ERP learns the CRM id: both links become one.
        const merged = await store.xrefLink({ entity, ids: { erp: 'C00042', crm: '98765' } });
        expect(merged.ids).toEqual({ shopify: '7390114553916', erp: 'C00042', crm: '98765', pim: 'P-1' });
        expect(await store.xrefLookup({ entity, system: 'shopify', id: '7390114553916', targetSystem: 'crm' })).toBe('98765');
        expect(await store.xrefLookup({ entity, system: 'pim', id: 'P-1', targetSystem: 'shopify' })).toBe('7390114553916');
        expect(await store.xrefLookup({ entity, system: 'shopify', id: '7390114553916', targetSystem: 'wms' })).toBeNull();
        expect(await store.xrefLookup({ entity, system: 'shopify', id: 'unknown', targetSystem: 'erp' })).toBeNull();
        expect(await store.xrefGet(entity, 'crm', '98765')).toEqual(merged);
        expect(await store.xrefGet(entity, 'crm', 'nope')).toBeNull();
        // Entities are separate namespaces.
        expect(await store.xrefGet(`${entity}-other`, 'crm', '98765')).toBeNull();
        // Linking what is already linked changes nothing.
        expect(await store.xrefLink({ entity, ids: { shopify: '7390114553916' } })).toEqual(merged);
      });

      it('refuses a merge that would give one system two ids, changing nothing', async () => {
        const entity = uid('customer');
        await store.xrefLink({ entity, ids: { shopify: '1', erp: 'C1' } });
        await store.xrefLink({ entity, ids: { shopify: '2', erp: 'C2' } });
        await expect(store.xrefLink({ entity, ids: { erp: 'C1', shopify: '2' } })).rejects.toMatchObject({ code: 'STORE_CONFLICT', details: { entity } });
        expect(await store.xrefLookup({ entity, system: 'shopify', id: '2', targetSystem: 'erp' })).toBe('C2');
        await expect(store.xrefLink({ entity, ids: {} })).rejects.toMatchObject({ code: 'STORE_INVALID_INPUT' });
      });

      it('ends up with one link when concurrent writers link the same id', async () => {
        const entity = uid('product');
        const systems = ['erp', 'crm', 'pim', 'wms', 'b2b', 'edi'];
        await Promise.all(systems.map((system, i) => store.xrefLink({ entity, ids: { shopify: 'gid-1', [system]: `id-${i}` } })));
        const link = await store.xrefGet(entity, 'shopify', 'gid-1');
        expect(Object.keys(link?.ids ?? {}).sort()).toEqual(['shopify', ...systems].sort());
      });

      it('unlinks one id', async () => {
        const entity = uid('order');
        await store.xrefLink({ entity, ids: { shopify: 'o1', erp: 'SO1' } });
        expect(await store.xrefUnlink({ entity, system: 'erp', id: 'SO1' })).toBe(true);
        expect(await store.xrefUnlink({ entity, system: 'erp', id: 'SO1' })).toBe(false);
        expect((await store.xrefGet(entity, 'shopify', 'o1'))?.ids).toEqual({ shopify: 'o1' });
      });
    });

    describe('flow state (watermarks) and settings', () => {
      it('gets, sets, lists and resets per-flow state', async () => {
        const flowId = await newFlow();
        expect(await store.getState(flowId, 'products')).toBeNull();
        await store.setState({ flowId, key: 'products', value: { updatedAtMin: '2025-01-01T00:00:00Z' } });
        const moved = await store.setState({ flowId, key: 'products', value: { updatedAtMin: '2025-01-02T00:00:00Z' } });
        expect(moved.value).toEqual({ updatedAtMin: '2025-01-02T00:00:00Z' });
        await store.setState({ flowId, key: 'customers', value: 17 });
        expect((await store.getState(flowId, 'products'))?.value).toEqual({ updatedAtMin: '2025-01-02T00:00:00Z' });
        expect((await store.listState(flowId)).map((e) => [e.key, e.value])).toEqual([
          ['customers', 17],
          ['products', { updatedAtMin: '2025-01-02T00:00:00Z' }],
        ]);
        expect(await store.resetState(flowId, 'customers')).toBe(1);
        expect(await store.getState(flowId, 'customers')).toBeNull();
        expect(await store.resetState(flowId)).toBe(1);
        expect(await store.listState(flowId)).toEqual([]);
      });

      it('keeps a state value with \\u0000 in its strings (a vendor cursor may hold one)', async () => {
        const flowId = await newFlow();
        const value = { cursor: 'eyJsYXN0X2lkIjo\u0000', 'k\u0000': ['\u0000'] };
        expect((await store.setState({ flowId, key: 'orders', value })).value).toEqual(value);
        expect((await store.getState(flowId, 'orders'))?.value).toEqual(value);
      });

      it('stores settings as JSON', async () => {
        const key = uid('retention');
        expect(await store.getSetting(key)).toBeNull();
        await store.setSetting({ key, value: { days: 30 }, by: 'usr_admin' });
        const again = await store.setSetting({ key, value: { days: 7, keepPerFlow: 1000 } });
        expect(again).toMatchObject({ key, value: { days: 7, keepPerFlow: 1000 }, updatedBy: null });
        expect((await store.getSetting(key))?.value).toEqual({ days: 7, keepPerFlow: 1000 });
        expect((await store.listSettings()).map((s) => s.key)).toContain(key);
        await store.setSetting({ key: `${key}-str`, value: 'plain string' });
        expect((await store.getSetting(`${key}-str`))?.value).toBe('plain string');
      });
    });

    describe('runs created with their steps (createRunWithSteps)', () => {
      async function failedRun(flowId: string): Promise<Run> {
        const { run } = await store.createRun({ flowId, version: 1, trigger: { order: 1 }, triggerKind: 'webhook' });
        return store.updateRun({ id: run.id, status: 'failed', error: boom, finishedAt: new Date() });
      }
      const copied = { nodeId: 'in', attempt: 1, status: 'succeeded' as const, input: null, output: { order: 1 }, ports: ['out'], startedAt: new Date(), finishedAt: new Date(), durationMs: 1 };

      it('writes the run, its outcome and its steps together', async () => {
        const flowId = await newFlow();
        const { run, created } = await store.createRunWithSteps({
          run: { flowId, version: 1, status: 'running', trigger: { poll: true }, triggerKind: 'poll' },
          outcome: { status: 'failed', error: boom, attempt: 1, finishedAt: new Date() },
          steps: [{ nodeId: 'in', attempt: 1, status: 'failed', error: boom, startedAt: new Date(), finishedAt: new Date(), durationMs: 3 }],
        });
        expect(created).toBe(true);
        expect(run).toMatchObject({ flowId, status: 'failed', attempt: 1, error: boom, triggerKind: 'poll' });
        expect(run.finishedAt).toBeInstanceOf(Date);
        expect(await store.getRun(run.id)).toEqual(run);
        expect(await store.listSteps(run.id)).toEqual([expect.objectContaining({ runId: run.id, nodeId: 'in', status: 'failed', error: boom })]);
      });

      it('moves large step payloads to blobs like any step write', async () => {
        const flowId = (await small.createFlow({ name: uid('flow'), draft: {}, by: 'usr_a' })).id;
        const big = { text: 'x'.repeat(500) };
        const { run } = await small.createRunWithSteps({ run: { flowId, version: 1, trigger: null, triggerKind: 'replay' }, steps: [{ ...copied, output: big }] });
        const [step] = await small.listSteps(run.id, { full: true });
        expect(step).toMatchObject({ output: big, outputTruncated: true });
      });

      it('claims another run: of concurrent claims of one failed run exactly one creates its run', async () => {
        const flowId = await newFlow();
        const original = await failedRun(flowId);
        const attempts = await Promise.allSettled(
          Array.from({ length: 5 }, () =>
            store.createRunWithSteps({
              run: { flowId, version: 1, trigger: original.trigger, triggerKind: 'webhook', replayOf: original.id },
              steps: [copied],
              claim: { runId: original.id, expectStatus: ['failed'], status: 'resolved' },
            }),
          ),
        );
        expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
        for (const a of attempts.filter((x) => x.status === 'rejected')) {
          expect(a.reason).toMatchObject({ code: 'STORE_CONFLICT', details: { runId: original.id, status: 'resolved' } });
          expect(String((a.reason as Error).message)).toContain('is resolved, expected failed');
        }
        expect((await store.getRun(original.id))?.status).toBe('resolved');
        const runs = (await store.listRuns({ flowId })).items;
        expect(runs.filter((r) => r.replayOf === original.id)).toHaveLength(1);
      });

      it('writes nothing when the claim fails, and a claim without status only guards', async () => {
        const flowId = await newFlow();
        const { run: queued } = await store.createRun({ flowId, version: 1, trigger: null, triggerKind: 'webhook' });
        const id = uid('run');
        await expect(
          store.createRunWithSteps({ run: { id, flowId, version: 1, trigger: null, triggerKind: 'webhook', replayOf: queued.id }, steps: [copied], claim: { runId: queued.id, expectStatus: ['succeeded', 'failed'] } }),
        ).rejects.toMatchObject({ code: 'STORE_CONFLICT', details: { status: 'queued' } });
        expect(await store.getRun(id)).toBeNull();
        expect(await store.listSteps(id)).toEqual([]);
        await expect(store.createRunWithSteps({ run: { flowId, trigger: null, triggerKind: 'x' }, claim: { runId: 'run_nope', expectStatus: ['failed'] } })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });

        const done = await store.updateRun({ id: queued.id, status: 'succeeded', finishedAt: new Date() });
        const { run } = await store.createRunWithSteps({ run: { flowId, version: 1, trigger: null, triggerKind: 'webhook', replayOf: done.id }, claim: { runId: done.id, expectStatus: ['succeeded', 'failed'] } });
        expect(run.status).toBe('queued');
        expect((await store.getRun(done.id))?.status).toBe('succeeded');
      });

      it('returns the run that holds the dedupe key, writing nothing, not even the claim', async () => {
        const flowId = await newFlow();
        const original = await failedRun(flowId);
        const first = await store.createRunWithSteps({ run: { flowId, trigger: null, triggerKind: 'poll', dedupeKey: 'k1' }, outcome: { status: 'failed', error: boom, finishedAt: new Date() } });
        const again = await store.createRunWithSteps({ run: { flowId, trigger: null, triggerKind: 'poll', dedupeKey: 'k1' }, steps: [copied], claim: { runId: original.id, expectStatus: ['failed'], status: 'resolved' } });
        expect(again).toEqual({ run: first.run, created: false });
        expect(await store.listSteps(first.run.id)).toEqual([]);
        expect((await store.getRun(original.id))?.status).toBe('failed');
      });
    });

    batchContract({ store: () => store, small: () => small });

    describe('closing', () => {
      it('fails with STORE_CLOSED after close, and close is idempotent', async () => {
        await small.close();
        await small.close();
        await expect(small.ping()).rejects.toMatchObject({ code: 'STORE_CLOSED' });
        await expect(small.listFlows()).rejects.toMatchObject({ code: 'STORE_CLOSED' });
      });
    });
  });
}
