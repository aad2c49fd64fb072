import { afterEach, describe, expect, it, vi } from 'vitest';
import { QueueError, RetryLater, type ActiveJob, type JobQueue, type JsonValue, type QueueEvent, type RetryPolicy, type ScheduleSpec } from '../src/index.ts';

/** Every harness builds its queues with this policy so retries happen within the test's patience. */
export const CONTRACT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200 };

export interface QueueFixture {
  /** A queue on a fresh, empty namespace, built with CONTRACT_RETRY. */
  queue: JobQueue;
  /**
   * Another handle on the same jobs, as a second process would open it (bullmq: new connections to the
   * same prefix; local: a new instance over the same persistence, recovering what it holds).
   */
  reopen(): Promise<JobQueue>;
  /** Whether handles from reopen() share live state (caps, schedule ticks) with `queue`: true for Redis, false in-process. */
  shared: boolean;
  /** Lets a worker in another "process" take `jobId` and die mid-handler, with no cleanup at all. Resolves once it is dead. */
  crashWhileProcessing(jobId: string): Promise<void>;
  /** Closes every handle and removes everything the fixture stored. */
  cleanup(): Promise<void>;
}

export type MakeQueue = () => Promise<QueueFixture>;

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function deferred(): Deferred {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(check: () => boolean | Promise<boolean>, timeout = 10_000): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await check())) throw new Error('not yet');
    },
    { timeout, interval: 20 },
  );
}

function codeOf(error: unknown): string | undefined {
  return error instanceof QueueError ? error.code : undefined;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/**
 * The one conformance suite every JobQueue driver passes. It checks what a user of the runtime would
 * notice: jobs arrive, once, in priority order, within caps, again after failures and crashes, and
 * schedules fire once per tick inside their windows.
 */
export function queueContract(name: string, makeQueue: MakeQueue): void {
  describe(`queue contract: ${name}`, () => {
    const fixtures: QueueFixture[] = [];

    async function open(): Promise<QueueFixture> {
      const fixture = await makeQueue();
      fixtures.push(fixture);
      return fixture;
    }

    afterEach(async () => {
      await Promise.all(fixtures.splice(0).map((f) => f.cleanup()));
    });

    describe('jobs', () => {
      it('delivers a job with its id, flow, priority and JSON data intact', async () => {
        const { queue } = await open();
        const data = { order: { name: '#1001', lines: [{ sku: 'A-1', qty: 2, price: 9.5 }] }, tags: ['b2b'], note: null, paid: true };
        await queue.add({ id: 'run_delivery', flowId: 'flw_orders', data, priority: 'high' });
        const seen: ActiveJob[] = [];
        queue.process(async (job) => {
          seen.push(job);
        }, { concurrency: 1 });
        await waitUntil(() => seen.length === 1);
        const [job] = seen;
        expect(job).toMatchObject({ id: 'run_delivery', flowId: 'flw_orders', priority: 'high', attempt: 1, data });
        expect(job?.scheduleId).toBeUndefined();
        expect(job?.signal.aborted).toBe(false);
      });

      it('deduplicates a job id that is still pending', async () => {
        const { queue } = await open();
        const job = { id: 'run_dupe', flowId: 'flw_orders', data: { n: 1 }, priority: 'normal' as const };
        await Promise.all([queue.add(job), queue.add(job)]);
        await queue.add(job);
        await queue.add({ id: 'run_sentinel', flowId: 'flw_orders', data: null, priority: 'low' });
        const handled: string[] = [];
        queue.process(async (j) => {
          handled.push(j.id);
        }, { concurrency: 1 });
        await waitUntil(() => handled.includes('run_sentinel'));
        expect(handled).toEqual(['run_dupe', 'run_sentinel']);
      });

      it('rejects an invalid job with QUEUE_INVALID_JOB and enqueues nothing', async () => {
        const { queue } = await open();
        const bad = { id: 'run:1', flowId: 'flw_orders', data: { at: new Date() }, priority: 'urgent' };
        // @ts-expect-error -- an invalid priority, as untyped callers could send it
        const error = await rejectionOf(queue.add(bad));
        expect(codeOf(error)).toBe('QUEUE_INVALID_JOB');
        expect(await queue.depth()).toEqual({ waiting: 0, active: 0, delayed: 0 });
      });

      it('reports waiting, active and delayed jobs in depth()', async () => {
        const { queue } = await open();
        await queue.add({ id: 'run_w1', flowId: 'flw_a', data: 1, priority: 'normal' });
        await queue.add({ id: 'run_w2', flowId: 'flw_a', data: 2, priority: 'low' });
        await queue.add({ id: 'run_d1', flowId: 'flw_a', data: 3, priority: 'normal', delayMs: 60_000 });
        expect(await queue.depth()).toEqual({ waiting: 2, active: 0, delayed: 1 });
        const gate = deferred();
        const worker = queue.process(() => gate.promise, { concurrency: 1 });
        await waitUntil(async () => (await queue.depth()).active === 1);
        expect(await queue.depth()).toEqual({ waiting: 1, active: 1, delayed: 1 });
        gate.resolve();
        await worker.close({ drain: true, timeoutMs: 5_000 });
      });

      it('refuses new jobs once closed', async () => {
        const { queue } = await open();
        await queue.close({ drain: true, timeoutMs: 1_000 });
        const error = await rejectionOf(queue.add({ id: 'run_late', flowId: 'flw_a', data: null, priority: 'normal' }));
        expect(codeOf(error)).toBe('QUEUE_CLOSED');
      });

      it('holds a job back for delayMs', async () => {
        const { queue } = await open();
        const addedAt = Date.now();
        await queue.add({ id: 'run_later', flowId: 'flw_a', data: null, priority: 'normal', delayMs: 400 });
        let deliveredAt = 0;
        queue.process(async () => {
          deliveredAt = Date.now();
        }, { concurrency: 1 });
        await waitUntil(() => deliveredAt > 0);
        expect(deliveredAt - addedAt).toBeGreaterThanOrEqual(400);
      });
    });

    describe('priority and concurrency', () => {
      it('takes waiting jobs high before normal before low', async () => {
        const { queue } = await open();
        await queue.add({ id: 'run_low', flowId: 'flw_catalog', data: null, priority: 'low' });
        await queue.add({ id: 'run_normal', flowId: 'flw_customers', data: null, priority: 'normal' });
        await queue.add({ id: 'run_high', flowId: 'flw_orders', data: null, priority: 'high' });
        await queue.add({ id: 'run_high2', flowId: 'flw_orders', data: null, priority: 'high' });
        const order: string[] = [];
        queue.process(async (job) => {
          order.push(job.id);
        }, { concurrency: 1 });
        await waitUntil(() => order.length === 4);
        expect(order).toEqual(['run_high', 'run_high2', 'run_normal', 'run_low']);
      });

      it('never runs more than the flow cap at once, across workers, while other flows proceed', async () => {
        const fixture = await open();
        const { queue } = fixture;
        const other = fixture.shared ? await fixture.reopen() : queue;
        await queue.setFlowConcurrency('flw_capped', 2);
        for (let i = 0; i < 8; i++) await queue.add({ id: `run_capped_${i}`, flowId: 'flw_capped', data: i, priority: 'normal' });
        for (let i = 0; i < 5; i++) await queue.add({ id: `run_free_${i}`, flowId: 'flw_free', data: i, priority: 'normal' });

        const running = new Map<string, number>();
        const peak = new Map<string, number>();
        const done: string[] = [];
        const freeDone = deferred();
        const handler = async (job: ActiveJob): Promise<void> => {
          const now = (running.get(job.flowId) ?? 0) + 1;
          running.set(job.flowId, now);
          peak.set(job.flowId, Math.max(peak.get(job.flowId) ?? 0, now));
          // Over the cap already: let everything finish so the assertion below reports it.
          if (job.flowId === 'flw_capped' && now > 2) freeDone.resolve();
          // Capped jobs hold their slots until every free-flow job is done: if the cap blocked
          // other flows, this would never finish.
          if (job.flowId === 'flw_capped') await freeDone.promise;
          else await sleep(20);
          running.set(job.flowId, (running.get(job.flowId) ?? 1) - 1);
          done.push(job.id);
          if (done.filter((id) => id.startsWith('run_free_')).length === 5) freeDone.resolve();
        };
        queue.process(handler, { concurrency: 4 });
        other.process(handler, { concurrency: 4 });
        await waitUntil(() => done.length === 13, 20_000);
        expect(peak.get('flw_capped')).toBe(2);
        expect(new Set(done).size).toBe(13);
      });

      it('handles each of 1000 jobs exactly once with concurrency 4', async () => {
        const { queue } = await open();
        const ids = Array.from({ length: 1000 }, (_, i) => `run_bulk_${i}`);
        await Promise.all(ids.map((id, i) => queue.add({ id, flowId: `flw_${i % 7}`, data: { i }, priority: 'normal' })));
        const counts = new Map<string, number>();
        queue.process(async (job) => {
          counts.set(job.id, (counts.get(job.id) ?? 0) + 1);
        }, { concurrency: 4 });
        await waitUntil(() => counts.size === 1000, 30_000);
        await queue.add({ id: 'run_bulk_sentinel', flowId: 'flw_0', data: null, priority: 'low' });
        await waitUntil(() => counts.has('run_bulk_sentinel'));
        const duplicates = [...counts].filter(([, n]) => n !== 1);
        expect(duplicates).toEqual([]);
        expect(counts.size).toBe(1001);
      });
    });

    describe('failures and retries', () => {
      it('delivers a job again after a transient failure', async () => {
        const { queue } = await open();
        await queue.add({ id: 'run_flaky', flowId: 'flw_a', data: { sku: 'A-1' }, priority: 'normal' });
        const attempts: Array<{ attempt: number; data: unknown }> = [];
        queue.process(async (job) => {
          attempts.push({ attempt: job.attempt, data: job.data });
          if (job.attempt === 1) throw new Error('ECONNRESET from the ERP');
        }, { concurrency: 1 });
        await waitUntil(() => attempts.length === 2);
        expect(attempts).toEqual([
          { attempt: 1, data: { sku: 'A-1' } },
          { attempt: 2, data: { sku: 'A-1' } },
        ]);
      });

      it('fails a job for good once its attempts run out, and says so', async () => {
        const { queue } = await open();
        const failed: Array<Extract<QueueEvent, { type: 'job-failed' }>> = [];
        queue.on((event) => {
          if (event.type === 'job-failed') failed.push(event);
        });
        await queue.add({ id: 'run_doomed', flowId: 'flw_a', data: null, priority: 'normal' });
        let deliveries = 0;
        queue.process(async () => {
          deliveries++;
          throw new Error('503 Service Unavailable');
        }, { concurrency: 1 });
        await waitUntil(() => failed.length === 1);
        expect(deliveries).toBe(CONTRACT_RETRY.maxAttempts);
        expect(failed[0]?.job).toMatchObject({ id: 'run_doomed', flowId: 'flw_a', attempt: CONTRACT_RETRY.maxAttempts });
        expect(failed[0]?.error.message).toBe('503 Service Unavailable');
        expect(await queue.depth()).toEqual({ waiting: 0, active: 0, delayed: 0 });
      });

      it('fails at once on a non-retryable error, keeping its code', async () => {
        const { queue } = await open();
        const failed: Array<Extract<QueueEvent, { type: 'job-failed' }>> = [];
        queue.on((event) => {
          if (event.type === 'job-failed') failed.push(event);
        });
        await queue.add({ id: 'run_invalid', flowId: 'flw_a', data: null, priority: 'normal' });
        let deliveries = 0;
        queue.process(async () => {
          deliveries++;
          throw Object.assign(new Error('customer has no ERP number'), { code: 'MAPPING_FAILED', retryable: false });
        }, { concurrency: 1 });
        await waitUntil(() => failed.length === 1);
        expect(deliveries).toBe(1);
        expect(failed[0]?.error).toMatchObject({ code: 'MAPPING_FAILED', message: 'customer has no ERP number' });
      });

      it('honours RetryLater: not before its delay, with the data it carries', async () => {
        const { queue } = await open();
        await queue.add({ id: 'run_429', flowId: 'flw_a', data: { page: 1 }, priority: 'normal' });
        const seen: Array<{ at: number; attempt: number; data: unknown }> = [];
        queue.process(async (job) => {
          seen.push({ at: Date.now(), attempt: job.attempt, data: job.data });
          if (job.attempt === 1) throw new RetryLater({ delayMs: 500, data: { page: 2 } });
        }, { concurrency: 1 });
        await waitUntil(() => seen.length === 1);
        await waitUntil(async () => (await queue.depth()).delayed === 1 || seen.length === 2);
        await waitUntil(() => seen.length === 2);
        expect((seen[1]?.at ?? 0) - (seen[0]?.at ?? 0)).toBeGreaterThanOrEqual(500);
        expect(seen[1]).toMatchObject({ attempt: 2, data: { page: 2 } });
      });

      it('keeps a delayed retry across a restart', async () => {
        const fixture = await open();
        await fixture.queue.add({ id: 'run_durable_retry', flowId: 'flw_a', data: { v: 1 }, priority: 'normal' });
        fixture.queue.process(async () => {
          throw new RetryLater({ delayMs: 300, data: { v: 2 } });
        }, { concurrency: 1 });
        await waitUntil(async () => (await fixture.queue.depth()).delayed === 1);
        await fixture.queue.close({ drain: true, timeoutMs: 5_000 });

        const restarted = await fixture.reopen();
        const seen: ActiveJob[] = [];
        restarted.process(async (job) => {
          seen.push(job);
        }, { concurrency: 1 });
        await waitUntil(() => seen.length === 1);
        expect(seen[0]).toMatchObject({ id: 'run_durable_retry', attempt: 2, data: { v: 2 } });
      });

      it('delivers again a job whose worker died mid-handler', async () => {
        const fixture = await open();
        await fixture.queue.add({ id: 'run_crash', flowId: 'flw_orders', data: { order: '#1002' }, priority: 'high' });
        await fixture.crashWhileProcessing('run_crash');

        const survivor = await fixture.reopen();
        const seen: ActiveJob[] = [];
        survivor.process(async (job) => {
          seen.push(job);
        }, { concurrency: 1 });
        await waitUntil(() => seen.length === 1, 20_000);
        expect(seen[0]).toMatchObject({ id: 'run_crash', flowId: 'flw_orders', data: { order: '#1002' } });
        await waitUntil(async () => (await survivor.depth()).active === 0);
        expect(await survivor.depth()).toEqual({ waiting: 0, active: 0, delayed: 0 });
      });
    });

    describe('shutdown', () => {
      it('drains in-flight handlers and takes no new jobs', async () => {
        const { queue } = await open();
        for (let i = 0; i < 5; i++) await queue.add({ id: `run_drain_${i}`, flowId: 'flw_a', data: i, priority: 'normal' });
        const gate = deferred();
        const started: string[] = [];
        const finished: string[] = [];
        const worker = queue.process(async (job) => {
          started.push(job.id);
          await gate.promise;
          finished.push(job.id);
        }, { concurrency: 2 });
        await waitUntil(() => started.length === 2);

        let closed = false;
        const closing = worker.close({ drain: true, timeoutMs: 10_000 }).then(() => {
          closed = true;
        });
        await sleep(150);
        expect(closed).toBe(false);
        gate.resolve();
        await closing;
        expect(finished.sort()).toEqual(started.sort());
        expect(started).toHaveLength(2);
        expect(await queue.depth()).toEqual({ waiting: 3, active: 0, delayed: 0 });

        const rest: string[] = [];
        queue.process(async (job) => {
          rest.push(job.id);
        }, { concurrency: 2 });
        await waitUntil(() => rest.length === 3);
        expect(new Set([...started, ...rest]).size).toBe(5);
      });

      it('abandons a handler that outlives the drain timeout, signals it, and delivers its job again', async () => {
        const { queue } = await open();
        await queue.add({ id: 'run_slow', flowId: 'flw_a', data: null, priority: 'normal' });
        let aborted = false;
        let started = false;
        const worker = queue.process(async (job) => {
          started = true;
          await new Promise<void>((resolve) => job.signal.addEventListener('abort', () => resolve()));
          aborted = true;
        }, { concurrency: 1 });
        await waitUntil(() => started);
        await worker.close({ drain: true, timeoutMs: 200 });
        await waitUntil(() => aborted);

        const again: ActiveJob[] = [];
        queue.process(async (job) => {
          again.push(job);
        }, { concurrency: 1 });
        await waitUntil(() => again.length === 1, 15_000);
        expect(again[0]?.id).toBe('run_slow');
      });
    });

    describe('schedules', () => {
      const everySecond = (id: string, data: JsonValue = { source: 'cron' }): ScheduleSpec => ({
        id,
        cron: '* * * * * *',
        tz: 'Europe/Berlin',
        job: { flowId: `flw_${id}`, data, priority: 'low' },
      });

      it('fires a job per tick carrying the tick time, lists it, and stops once removed', async () => {
        const { queue } = await open();
        await queue.upsertSchedule(everySecond('sch_tick', { v: 1 }));
        await queue.upsertSchedule(everySecond('sch_tick', { v: 2 }));
        const listed = await queue.listSchedules();
        expect(listed).toHaveLength(1);
        expect(listed[0]).toMatchObject({ id: 'sch_tick', cron: '* * * * * *', tz: 'Europe/Berlin', job: { flowId: 'flw_sch_tick', data: { v: 2 } } });

        const fired: ActiveJob[] = [];
        queue.process(async (job) => {
          fired.push(job);
        }, { concurrency: 2 });
        await waitUntil(() => fired.length >= 2, 10_000);
        for (const job of fired) {
          expect(job).toMatchObject({ scheduleId: 'sch_tick', flowId: 'flw_sch_tick', priority: 'low', data: { v: 2 } });
          expect((job.scheduledAt ?? 1) % 1000).toBe(0);
        }
        expect(new Set(fired.map((j) => j.scheduledAt)).size).toBe(fired.length);

        expect(await queue.removeSchedule('sch_tick')).toBe(true);
        const removedAt = Date.now();
        expect(await queue.removeSchedule('sch_tick')).toBe(false);
        expect(await queue.listSchedules()).toEqual([]);
        await sleep(2_200);
        expect(fired.filter((j) => (j.scheduledAt ?? 0) > removedAt + 1_000)).toEqual([]);
      });

      it('skips ticks outside the run window and fires inside it', async () => {
        const { queue } = await open();
        const tz = 'Asia/Tokyo';
        const hhmm = (offsetHours: number): string =>
          new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(Date.now() + offsetHours * 3_600_000);
        const events: QueueEvent[] = [];
        queue.on((event) => events.push(event));
        const fired: ActiveJob[] = [];
        queue.process(async (job) => {
          fired.push(job);
        }, { concurrency: 2 });

        // Now is outside +3h..+4h (Tokyo wall clock) and inside -2h..+2h, which may wrap midnight.
        await queue.upsertSchedule({ ...everySecond('sch_closed'), tz, window: { start: hhmm(3), end: hhmm(4) } });
        await queue.upsertSchedule({ ...everySecond('sch_open'), tz, window: { start: hhmm(-2), end: hhmm(2) } });
        await waitUntil(() => events.filter((e) => e.type === 'schedule-skipped' && e.scheduleId === 'sch_closed').length >= 2, 10_000);
        await waitUntil(() => fired.some((j) => j.scheduleId === 'sch_open'), 10_000);
        expect(fired.filter((j) => j.scheduleId === 'sch_closed')).toEqual([]);
        expect(events.filter((e) => e.type === 'schedule-skipped' && e.scheduleId === 'sch_open')).toEqual([]);
      });

      it('fires each tick exactly once with two schedulers and workers running', async () => {
        const fixture = await open();
        const first = fixture.queue;
        const second = fixture.shared ? await fixture.reopen() : first;
        const perTick = new Map<number, number>();
        const handler = async (job: ActiveJob): Promise<void> => {
          if (job.scheduledAt !== undefined) perTick.set(job.scheduledAt, (perTick.get(job.scheduledAt) ?? 0) + 1);
        };
        first.process(handler, { concurrency: 2 });
        second.process(handler, { concurrency: 2 });
        // Both "processes" declare the schedule on start, as every server process does.
        await Promise.all([first.upsertSchedule(everySecond('sch_once')), second.upsertSchedule(everySecond('sch_once'))]);
        await waitUntil(() => perTick.size >= 3, 10_000);
        await sleep(300);
        expect([...perTick.values()].every((n) => n === 1)).toBe(true);
      });

      it('rejects a bad schedule with QUEUE_INVALID_SCHEDULE', async () => {
        const { queue } = await open();
        const error = await rejectionOf(queue.upsertSchedule({ ...everySecond('sch_bad'), cron: 'every tuesday', tz: 'Nowhere/Special' }));
        expect(codeOf(error)).toBe('QUEUE_INVALID_SCHEDULE');
        expect(await queue.listSchedules()).toEqual([]);
      });
    });
  });
}
