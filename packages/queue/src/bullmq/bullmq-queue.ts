import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { QueueError, serializeError, unavailable } from '../errors.ts';
import { EventHub } from '../events.ts';
import type { JsonValue } from '../json.ts';
import { DEFAULT_RETRY_POLICY, decideFailure, type FailureOutcome } from '../retry-policy.ts';
import { scheduleJobId } from '../schedule-ids.ts';
import { within } from '../timers.ts';
import type {
  ActiveJob,
  CloseOptions,
  JobHandler,
  JobQueue,
  NewJob,
  ProcessOptions,
  QueueDepth,
  QueueEvent,
  QueueListener,
  QueueWorker,
  RetryPolicy,
  ScheduleInfo,
  ScheduleSpec,
} from '../types.ts';
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  parseCloseOptions,
  parseFlowCap,
  parseId,
  parseNewJob,
  parseProcessOptions,
  parseRetryPolicy,
  parseScheduleSpec,
  readScheduleSpec,
} from '../validate.ts';
import { isInWindow } from '../window.ts';
import { BULLMQ_PRIORITY, readEnvelope, RUN_JOB, TICK_JOB, tickTimeOf, type RunEnvelope } from './envelope.ts';
import { FlowSlots, type SlotResult } from './flow-slots.ts';

export interface BullmqQueueOptions {
  redisUrl: string;
  /** Redis key prefix; give every environment (and every test) its own. Default `tributary`. */
  prefix?: string;
  /** BullMQ queue name. Default `jobs`. */
  name?: string;
  retry?: Partial<RetryPolicy>;
  maxPayloadBytes?: number;
  /**
   * How long a worker's lock on a job lasts without renewal (BullMQ renews it while the handler runs).
   * A crashed worker's job is delivered again once its lock expired and a stalled check ran:
   * after at most lockDurationMs + stalledIntervalMs. Defaults 30 s and 15 s.
   */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** How often a job may stall (its worker died) before BullMQ fails it for good. Default 5. */
  maxStalledCount?: number;
  /** How long a job waits before trying again when its flow is at its concurrency cap. Default 250 ms (plus jitter). */
  flowCapRetryMs?: number;
  /** Finished jobs are kept this long (and their ids keep deduplicating). Default 24 h, at most 10 000. */
  keepCompleted?: { ageSeconds: number; count: number };
  keepFailedSeconds?: number;
  /** add() fails with QUEUE_UNAVAILABLE when Redis can't be reached within this. Default 5 s. */
  connectTimeoutMs?: number;
}

interface Settings {
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  flowCapRetryMs: number;
}

interface WorkerState {
  worker: Worker<unknown, void, string>;
  connection: Redis;
  slots: FlowSlots;
  controllers: Map<string, AbortController>;
  inflight: Set<Promise<unknown>>;
  /** job-failed events waiting for BullMQ to confirm the move to failed. */
  failures: Map<string, Extract<QueueEvent, { type: 'job-failed' }>>;
  closing: boolean;
  closed: Promise<void> | undefined;
}

function jitter(ms: number): number {
  return Math.round(ms / 2 + (ms / 2) * Math.random() * 2);
}

function connectionOptions(connectTimeoutMs: number): { maxRetriesPerRequest: null; connectTimeout: number } {
  return { maxRetriesPerRequest: null, connectTimeout: connectTimeoutMs };
}

/**
 * The scaled-mode driver: BullMQ on Redis. Jobs, delays, retries and schedules live in Redis, so any
 * number of processes share one queue; a crashed worker's job comes back through BullMQ's stalled-job
 * check. Per-flow caps are Redis leases (see flow-slots.ts); schedules are BullMQ job schedulers.
 */
export class BullmqJobQueue implements JobQueue {
  readonly driver = 'bullmq';
  readonly #redisUrl: string;
  readonly #prefix: string;
  readonly #name: string;
  readonly #connection: Redis;
  readonly #queue: Queue<unknown, void, string>;
  readonly #slots: FlowSlots;
  readonly #policy: RetryPolicy;
  readonly #maxPayloadBytes: number;
  readonly #settings: Settings;
  readonly #connectTimeoutMs: number;
  readonly #events = new EventHub();
  readonly #workers = new Set<WorkerState>();
  #closed = false;
  #closing: Promise<void> | undefined;

  private constructor(options: BullmqQueueOptions, connection: Redis) {
    this.#redisUrl = options.redisUrl;
    this.#prefix = options.prefix ?? 'tributary';
    this.#name = options.name ?? 'jobs';
    this.#connection = connection;
    this.#policy = parseRetryPolicy(options.retry, DEFAULT_RETRY_POLICY);
    this.#maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.#settings = {
      lockDurationMs: options.lockDurationMs ?? 30_000,
      stalledIntervalMs: options.stalledIntervalMs ?? 15_000,
      maxStalledCount: options.maxStalledCount ?? 5,
      flowCapRetryMs: options.flowCapRetryMs ?? 250,
    };
    const keep = options.keepCompleted ?? { ageSeconds: 24 * 3600, count: 10_000 };
    this.#queue = new Queue<unknown, void, string>(this.#name, {
      connection,
      prefix: this.#prefix,
      defaultJobOptions: {
        // Retries are ours (retry-policy.ts) so both drivers count attempts the same way.
        attempts: 1,
        removeOnComplete: { age: keep.ageSeconds, count: keep.count },
        removeOnFail: { age: options.keepFailedSeconds ?? 7 * 24 * 3600 },
      },
    });
    this.#queue.on('error', (error) => this.#reportError(error));
    this.#slots = this.#flowSlots(connection);
  }

  #flowSlots(redis: Redis): FlowSlots {
    return new FlowSlots({ redis, keyPrefix: `${this.#prefix}:${this.#name}`, leaseMs: this.#settings.lockDurationMs });
  }

  /** Connects (failing with QUEUE_UNAVAILABLE when Redis is unreachable) and returns the queue. */
  static async open(options: BullmqQueueOptions): Promise<BullmqJobQueue> {
    const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    // Producers fail fast while Redis is down (no offline queue): a webhook must not be acknowledged
    // for an event that is only sitting in this process's memory.
    const connection = new Redis(options.redisUrl, { ...connectionOptions(connectTimeoutMs), enableOfflineQueue: false, lazyConnect: true });
    const errors: unknown[] = [];
    const onError = (error: unknown): void => {
      errors.push(error);
    };
    connection.on('error', onError);
    const connected = connection.connect();
    let ok = false;
    try {
      ok = await within(connected, connectTimeoutMs);
    } catch (error) {
      errors.push(error);
    }
    if (!ok) {
      connected.catch(() => undefined);
      connection.disconnect();
      throw new QueueError({
        code: 'QUEUE_UNAVAILABLE',
        message: `Redis at ${redact(options.redisUrl)} is not reachable`,
        details: { prefix: options.prefix ?? 'tributary' },
        cause: errors[0],
      });
    }
    connection.off('error', onError);
    const queue = new BullmqJobQueue(options, connection);
    connection.on('error', (error) => queue.#reportError(error));
    return queue;
  }

  async add(input: NewJob): Promise<void> {
    this.#assertOpen();
    const job = parseNewJob(input, this.#maxPayloadBytes);
    await this.#addRun(job, {});
  }

  async #addRun(job: NewJob, schedule: { scheduleId?: string; scheduledAt?: number }): Promise<void> {
    const envelope: RunEnvelope = {
      flowId: job.flowId,
      priority: job.priority,
      payload: job.data,
      attempt: 1,
      enqueuedAt: Date.now(),
      ...schedule,
    };
    try {
      // An existing job id makes this a no-op inside BullMQ's add script: that is our dedupe.
      await this.#queue.add(RUN_JOB, envelope, {
        jobId: job.id,
        priority: BULLMQ_PRIORITY[job.priority],
        ...(job.delayMs === undefined || job.delayMs === 0 ? {} : { delay: job.delayMs }),
      });
    } catch (error) {
      throw unavailable(error, `could not enqueue job ${job.id}`);
    }
  }

  process(handler: JobHandler, options: ProcessOptions): QueueWorker {
    this.#assertOpen();
    const { concurrency } = parseProcessOptions(options);
    // Workers block on Redis, so each gets its own connection (BullMQ requires maxRetriesPerRequest: null).
    const connection = new Redis(this.#redisUrl, connectionOptions(this.#connectTimeoutMs));
    connection.on('error', (error) => this.#reportError(error));
    const controllers = new Map<string, AbortController>();
    const inflight = new Set<Promise<unknown>>();
    // The processor only runs once the worker exists, by which time `state` is assigned.
    let state: WorkerState;
    const worker = new Worker<unknown, void, string>(
      this.#name,
      (job, token) => {
        const run = this.#processJob({ job, token, handler, state });
        inflight.add(run);
        return run.finally(() => inflight.delete(run));
      },
      {
        connection,
        prefix: this.#prefix,
        concurrency,
        lockDuration: this.#settings.lockDurationMs,
        stalledInterval: this.#settings.stalledIntervalMs,
        maxStalledCount: this.#settings.maxStalledCount,
        autorun: true,
      },
    );
    const failures = new Map<string, Extract<QueueEvent, { type: 'job-failed' }>>();
    const slots = this.#flowSlots(connection);
    state = { worker, connection, slots, controllers, inflight, failures, closing: false, closed: undefined };
    worker.on('error', (error) => this.#reportError(error));
    worker.on('failed', (job) => {
      const event = job?.id === undefined ? undefined : failures.get(job.id);
      if (job?.id === undefined || event === undefined) return;
      failures.delete(job.id);
      this.#events.emit(event);
    });
    this.#workers.add(state);
    return {
      close: (closeOptions) => {
        state.closed ??= this.#closeWorker(state, parseCloseOptions(closeOptions));
        return state.closed;
      },
    };
  }

  async #processJob(options: { job: Job<unknown, void, string>; token: string | undefined; handler: JobHandler; state: WorkerState }): Promise<void> {
    const { job, token, handler, state } = options;
    if (state.closing) {
      // Fetched while this worker was stopping: hand it back untouched.
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    if (job.name === TICK_JOB) {
      await this.#handleTick(job);
      return;
    }
    const jobId = job.id;
    const envelope = readEnvelope(job.data);
    if (envelope === null || jobId === undefined) {
      const error = new QueueError({ code: 'QUEUE_CORRUPT_JOB', message: `job ${jobId ?? '?'} has data this driver did not write`, details: { jobId } });
      this.#reportError(error);
      throw new UnrecoverableError(error.message);
    }

    // Slot calls go over the worker's connection, which waits out a Redis blip instead of failing
    // (the producer connection fails fast on purpose); if acquiring still fails, try again later.
    const slots = state.slots;
    let slot: SlotResult;
    try {
      slot = await slots.acquire(envelope.flowId, jobId);
    } catch (error) {
      this.#reportError(error);
      slot = 'full';
    }
    if (slot === 'full') {
      await job.moveToDelayed(Date.now() + jitter(this.#settings.flowCapRetryMs), token);
      throw new DelayedError();
    }

    const controller = new AbortController();
    state.controllers.set(jobId, controller);
    const renewal =
      slot === 'acquired'
        ? setInterval(() => {
            slots.renew(envelope.flowId, jobId).catch((error: unknown) => this.#reportError(error));
          }, Math.max(100, Math.floor(slots.leaseMs / 3)))
        : undefined;
    let outcome: FailureOutcome | { kind: 'done' } = { kind: 'done' };
    let failure: unknown;
    try {
      await handler(toActiveJob({ id: jobId, envelope, signal: controller.signal }));
    } catch (error) {
      failure = error;
      outcome = decideFailure({ error, attempt: envelope.attempt, policy: this.#policy });
    } finally {
      clearInterval(renewal);
      state.controllers.delete(jobId);
      if (slot === 'acquired') {
        // If this fails the lease still expires on its own.
        await slots.release(envelope.flowId, jobId).catch((error: unknown) => this.#reportError(error));
      }
    }

    if (controller.signal.aborted) {
      // Abandoned by a closing worker: whatever the handler did, the job is delivered again. Hand it
      // back now; if that races with the connection closing, the stalled check does it after the lock expires.
      await job.moveToDelayed(Date.now(), token).catch((error: unknown) => this.#reportError(error));
      throw new DelayedError();
    }
    if (outcome.kind === 'done') return;
    if (outcome.kind === 'retry') {
      const next: RunEnvelope = { ...envelope, attempt: envelope.attempt + 1, payload: outcome.data ?? envelope.payload };
      await job.updateData(next);
      // Durable: the job waits in Redis's delayed set, not in this process.
      await job.moveToDelayed(Date.now() + outcome.delayMs, token);
      throw new DelayedError();
    }
    // Announced from the worker's 'failed' event, once BullMQ has really moved the job to failed.
    state.failures.set(jobId, {
      type: 'job-failed',
      job: { id: jobId, flowId: envelope.flowId, priority: envelope.priority, attempt: envelope.attempt, data: envelope.payload },
      error: serializeError(failure),
    });
    throw new UnrecoverableError(failure instanceof Error ? failure.message : String(failure));
  }

  /** A job scheduler tick: skip it outside the run window, else enqueue the run job (its id makes a repeated tick a no-op). */
  async #handleTick(job: Job<unknown, void, string>): Promise<void> {
    const spec = readScheduleSpec(job.data);
    const scheduledAt = tickTimeOf(job);
    if (spec === null || scheduledAt === null) {
      this.#reportError(new QueueError({ code: 'QUEUE_CORRUPT_JOB', message: `schedule tick ${job.id ?? '?'} has data this driver did not write` }));
      return;
    }
    const base = { scheduleId: spec.id, flowId: spec.job.flowId, scheduledAt };
    if (spec.window !== undefined && !isInWindow({ at: scheduledAt, tz: spec.tz, window: spec.window })) {
      this.#events.emit({ type: 'schedule-skipped', ...base });
      return;
    }
    const jobId = scheduleJobId(spec.id, scheduledAt);
    await this.#addRun({ id: jobId, flowId: spec.job.flowId, data: spec.job.data, priority: spec.job.priority }, { scheduleId: spec.id, scheduledAt });
    this.#events.emit({ type: 'schedule-fired', ...base, jobId });
  }

  async setFlowConcurrency(flowId: string, cap: number | null): Promise<void> {
    const parsed = parseFlowCap(flowId, cap);
    try {
      await this.#slots.setCap(parsed.flowId, parsed.cap);
    } catch (error) {
      throw unavailable(error, `could not set the concurrency of flow ${parsed.flowId}`);
    }
  }

  async depth(): Promise<QueueDepth> {
    try {
      const counts = await this.#queue.getJobCounts('wait', 'prioritized', 'paused', 'active', 'delayed');
      return {
        waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0) + (counts.paused ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
      };
    } catch (error) {
      throw unavailable(error, 'could not read the queue depth');
    }
  }

  async upsertSchedule(input: ScheduleSpec): Promise<void> {
    this.#assertOpen();
    const spec = parseScheduleSpec(input);
    try {
      await this.#queue.upsertJobScheduler(
        spec.id,
        { pattern: spec.cron, tz: spec.tz },
        {
          name: TICK_JOB,
          data: spec,
          // A tick only enqueues the run job; if Redis hiccups while it does, BullMQ tries the tick again.
          opts: { priority: BULLMQ_PRIORITY.high, attempts: 5, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: true, removeOnFail: { age: 24 * 3600 } },
        },
      );
    } catch (error) {
      if (error instanceof Error && this.#connection.status === 'ready' && !isConnectionError(error)) {
        // BullMQ's cron parser disagreed with croner about the pattern.
        throw new QueueError({ code: 'QUEUE_INVALID_SCHEDULE', message: `invalid schedule: cron ${error.message}`, details: { issues: [{ path: 'cron', message: error.message }] }, cause: error });
      }
      throw unavailable(error, `could not save schedule ${spec.id}`);
    }
  }

  async removeSchedule(id: string): Promise<boolean> {
    const scheduleId = parseId(id, 'schedule id');
    try {
      return await this.#queue.removeJobScheduler(scheduleId);
    } catch (error) {
      throw unavailable(error, `could not remove schedule ${scheduleId}`);
    }
  }

  async listSchedules(): Promise<ScheduleInfo[]> {
    let schedulers: Awaited<ReturnType<Queue<unknown, void, string>['getJobSchedulers']>>;
    try {
      schedulers = await this.#queue.getJobSchedulers(0, -1, true);
    } catch (error) {
      throw unavailable(error, 'could not list schedules');
    }
    const out: ScheduleInfo[] = [];
    for (const scheduler of schedulers) {
      const spec = readScheduleSpec(scheduler.template?.data);
      if (spec === null) continue;
      out.push({ ...spec, nextRunAt: scheduler.next ?? null });
    }
    return out;
  }

  /** Redis is the durable store: nothing to reload. */
  async recover(): Promise<number> {
    this.#assertOpen();
    return 0;
  }

  on(listener: QueueListener): () => void {
    return this.#events.on(listener);
  }

  close(options?: CloseOptions): Promise<void> {
    const parsed = parseCloseOptions(options);
    this.#closing ??= this.#close(parsed);
    return this.#closing;
  }

  async #close(options: CloseOptions): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#workers].map((state) => (state.closed ??= this.#closeWorker(state, options))));
    await this.#queue.close();
    await this.#connection.quit().catch(() => this.#connection.disconnect());
  }

  /**
   * Deletes every key of this queue (jobs, schedulers, flow caps and leases). For tests and for
   * tearing down an environment; the queue is closed afterwards.
   */
  async obliterate(): Promise<void> {
    await this.close({ drain: false, timeoutMs: 0 });
    const redis = new Redis(this.#redisUrl, { maxRetriesPerRequest: null });
    try {
      const pattern = `${this.#prefix}:${this.#name}:*`;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.unlink(...keys);
      } while (cursor !== '0');
    } finally {
      await redis.quit();
    }
  }

  async #closeWorker(state: WorkerState, options: CloseOptions): Promise<void> {
    state.closing = true;
    this.#workers.delete(state);
    // Stop fetching; in-flight handlers keep running.
    await state.worker.pause(true);
    const finished = options.drain && (await within(Promise.allSettled([...state.inflight]), options.timeoutMs));
    if (finished) {
      await state.worker.close();
    } else {
      // Abandoned: BullMQ's stalled check hands these jobs to another worker once their locks expire.
      for (const controller of state.controllers.values()) {
        controller.abort(new QueueError({ code: 'QUEUE_CLOSED', message: 'the worker stopped' }));
      }
      await state.worker.close(true);
    }
    await state.connection.quit().catch(() => state.connection.disconnect());
  }

  #assertOpen(): void {
    if (this.#closed) throw new QueueError({ code: 'QUEUE_CLOSED', message: 'the queue is closed' });
  }

  #reportError(error: unknown): void {
    this.#events.emit({ type: 'error', error: serializeError(error) });
  }
}

function toActiveJob(options: { id: string; envelope: RunEnvelope; signal: AbortSignal }): ActiveJob {
  const { id, envelope, signal } = options;
  const data: JsonValue = envelope.payload;
  return Object.freeze({
    id,
    flowId: envelope.flowId,
    data,
    priority: envelope.priority,
    attempt: envelope.attempt,
    ...(envelope.scheduleId === undefined ? {} : { scheduleId: envelope.scheduleId }),
    ...(envelope.scheduledAt === undefined ? {} : { scheduledAt: envelope.scheduledAt }),
    signal,
  });
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EHOSTUNREACH']);

function isConnectionError(error: Error): boolean {
  const code = Reflect.get(error, 'code');
  return (typeof code === 'string' && CONNECTION_CODES.has(code)) || error.name === 'MaxRetriesPerRequestError';
}

/** Never log a Redis password. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    // Not a URL at all: say nothing about it rather than echo a possible secret.
    return '(invalid url)';
  }
}

export function createBullmqQueue(options: BullmqQueueOptions): Promise<BullmqJobQueue> {
  return BullmqJobQueue.open(options);
}
