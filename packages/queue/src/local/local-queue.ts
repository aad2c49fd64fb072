import { Cron } from 'croner';
import { QueueError, serializeError } from '../errors.ts';
import { EventHub } from '../events.ts';
import { DEFAULT_RETRY_POLICY, decideFailure, type FailureOutcome } from '../retry-policy.ts';
import { scheduleJobId } from '../schedule-ids.ts';
import { runAt, within, type Timer } from '../timers.ts';
import {
  PRIORITIES,
  type ActiveJob,
  type CloseOptions,
  type JobHandler,
  type JobQueue,
  type NewJob,
  type Priority,
  type ProcessOptions,
  type QueueDepth,
  type QueueListener,
  type QueueWorker,
  type RetryPolicy,
  type ScheduleInfo,
  type ScheduleSpec,
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
} from '../validate.ts';
import { isInWindow } from '../window.ts';
import { readStoredJob, type JobPersistence, type StoredJob } from './persistence.ts';

export interface LocalQueueOptions {
  /** Where jobs are made durable; without it a restart loses queued jobs (fine for tests and try-outs). */
  persistence?: JobPersistence;
  retry?: Partial<RetryPolicy>;
  maxPayloadBytes?: number;
}

interface Entry {
  job: StoredJob;
  state: 'waiting' | 'delayed' | 'active';
  timer: Timer | undefined;
}

interface Running {
  done: Promise<void>;
  controller: AbortController;
  /** Set when the worker stopped without waiting: the handler's outcome no longer counts. */
  abandoned: boolean;
}

interface WorkerState {
  handler: JobHandler;
  concurrency: number;
  closing: boolean;
  running: Map<string, Running>;
}

interface LocalSchedule {
  spec: ScheduleSpec;
  cron: Cron;
  next: number | null;
  timer: Timer | undefined;
}

/**
 * The in-process driver for the embedded mode: priorities, per-flow caps, delays and retries are
 * kept in memory; durability comes from the optional persistence port (every accepted job is saved
 * before add() resolves and deleted only once it is finished).
 */
export class LocalJobQueue implements JobQueue {
  readonly driver = 'local';
  readonly #persistence: JobPersistence | undefined;
  readonly #policy: RetryPolicy;
  readonly #maxPayloadBytes: number;
  readonly #events = new EventHub();
  readonly #jobs = new Map<string, Entry>();
  /** Ids whose add() is waiting on persistence: a second add of the same id is a duplicate. */
  readonly #reserved = new Set<string>();
  readonly #waiting: Record<Priority, string[]> = { high: [], normal: [], low: [] };
  readonly #caps = new Map<string, number>();
  readonly #flowActive = new Map<string, number>();
  readonly #workers = new Set<WorkerState>();
  readonly #schedules = new Map<string, LocalSchedule>();
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(options: LocalQueueOptions = {}) {
    this.#persistence = options.persistence;
    this.#policy = parseRetryPolicy(options.retry, DEFAULT_RETRY_POLICY);
    this.#maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  }

  async add(input: NewJob): Promise<void> {
    this.#assertOpen();
    const job = parseNewJob(input, this.#maxPayloadBytes);
    const now = Date.now();
    await this.#enqueue({
      id: job.id,
      flowId: job.flowId,
      data: job.data,
      priority: job.priority,
      attempt: 1,
      runAt: now + (job.delayMs ?? 0),
      enqueuedAt: now,
    });
  }

  process(handler: JobHandler, options: ProcessOptions): QueueWorker {
    this.#assertOpen();
    const { concurrency } = parseProcessOptions(options);
    const worker: WorkerState = { handler, concurrency, closing: false, running: new Map() };
    this.#workers.add(worker);
    this.#pump();
    return { close: (closeOptions) => this.#closeWorker(worker, parseCloseOptions(closeOptions)) };
  }

  async setFlowConcurrency(flowId: string, cap: number | null): Promise<void> {
    const parsed = parseFlowCap(flowId, cap);
    if (parsed.cap === null) this.#caps.delete(parsed.flowId);
    else this.#caps.set(parsed.flowId, parsed.cap);
    this.#pump();
  }

  async depth(): Promise<QueueDepth> {
    const depth = { waiting: 0, active: 0, delayed: 0 };
    for (const entry of this.#jobs.values()) {
      if (entry.state === 'waiting') depth.waiting++;
      else if (entry.state === 'active') depth.active++;
      else depth.delayed++;
    }
    return depth;
  }

  async upsertSchedule(input: ScheduleSpec): Promise<void> {
    this.#assertOpen();
    const spec = parseScheduleSpec(input);
    this.#stopSchedule(spec.id);
    const schedule: LocalSchedule = {
      spec,
      cron: new Cron(spec.cron, { timezone: spec.tz, paused: true }),
      next: null,
      timer: undefined,
    };
    this.#schedules.set(spec.id, schedule);
    this.#armSchedule(schedule, Date.now());
  }

  async removeSchedule(id: string): Promise<boolean> {
    return this.#stopSchedule(parseId(id, 'schedule id'));
  }

  async listSchedules(): Promise<ScheduleInfo[]> {
    return [...this.#schedules.values()].map((s) => ({ ...structuredClone(s.spec), nextRunAt: s.next }));
  }

  async recover(): Promise<number> {
    this.#assertOpen();
    if (this.#persistence === undefined) return 0;
    let rows: readonly unknown[];
    try {
      rows = await this.#persistence.loadJobs();
    } catch (error) {
      throw new QueueError({ code: 'QUEUE_PERSISTENCE_FAILED', message: 'could not load queued jobs', cause: error });
    }
    const jobs: StoredJob[] = [];
    for (const row of rows) {
      const job = readStoredJob(row);
      if (job === null) {
        this.#reportError(new QueueError({ code: 'QUEUE_CORRUPT_JOB', message: 'skipped a stored job that is not valid', details: { row } }));
      } else {
        jobs.push(job);
      }
    }
    jobs.sort((a, b) => a.enqueuedAt - b.enqueuedAt);
    let added = 0;
    for (const job of jobs) {
      if (this.#jobs.has(job.id) || this.#reserved.has(job.id)) continue;
      this.#insert(job);
      added++;
    }
    return added;
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
    for (const id of [...this.#schedules.keys()]) this.#stopSchedule(id);
    // Delayed jobs stay in persistence and come back with recover() on the next start.
    for (const entry of this.#jobs.values()) entry.timer?.cancel();
    await Promise.all([...this.#workers].map((worker) => this.#closeWorker(worker, options)));
  }

  #assertOpen(): void {
    if (this.#closed) throw new QueueError({ code: 'QUEUE_CLOSED', message: 'the queue is closed' });
  }

  async #enqueue(job: StoredJob): Promise<boolean> {
    if (this.#jobs.has(job.id) || this.#reserved.has(job.id)) return false;
    this.#reserved.add(job.id);
    try {
      await this.#persistence?.saveJob(job);
    } catch (error) {
      throw new QueueError({
        code: 'QUEUE_PERSISTENCE_FAILED',
        message: `job ${job.id} was not accepted: persisting it failed`,
        details: { jobId: job.id },
        cause: error,
      });
    } finally {
      this.#reserved.delete(job.id);
    }
    // Closed while persisting: the job is durable and comes back with recover() on the next start.
    if (!this.#closed) this.#insert(job);
    return true;
  }

  #insert(job: StoredJob): void {
    const entry: Entry = { job, state: 'waiting', timer: undefined };
    this.#jobs.set(job.id, entry);
    if (job.runAt > Date.now()) this.#delay(entry);
    else this.#makeWaiting(entry);
  }

  #delay(entry: Entry): void {
    entry.state = 'delayed';
    entry.timer = runAt(entry.job.runAt, () => {
      entry.timer = undefined;
      if (this.#jobs.get(entry.job.id) === entry) this.#makeWaiting(entry);
    });
  }

  #makeWaiting(entry: Entry): void {
    entry.state = 'waiting';
    this.#waiting[entry.job.priority].push(entry.job.id);
    this.#pump();
  }

  #flowHasSlot(flowId: string): boolean {
    const cap = this.#caps.get(flowId);
    return cap === undefined || (this.#flowActive.get(flowId) ?? 0) < cap;
  }

  /** The first waiting job by priority, then FIFO, whose flow is under its cap: a capped flow never blocks others. */
  #takeNext(): Entry | undefined {
    for (const priority of PRIORITIES) {
      const list = this.#waiting[priority];
      for (let i = 0; i < list.length; i++) {
        const id = list[i];
        const entry = id === undefined ? undefined : this.#jobs.get(id);
        if (entry === undefined || entry.state !== 'waiting') {
          list.splice(i--, 1);
          continue;
        }
        if (!this.#flowHasSlot(entry.job.flowId)) continue;
        list.splice(i, 1);
        return entry;
      }
    }
    return undefined;
  }

  #pump(): void {
    if (this.#closed) return;
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (const worker of this.#workers) {
        if (worker.closing || worker.running.size >= worker.concurrency) continue;
        const entry = this.#takeNext();
        if (entry === undefined) return;
        this.#start(worker, entry);
        progressed = true;
      }
    }
  }

  #start(worker: WorkerState, entry: Entry): void {
    const { job } = entry;
    entry.state = 'active';
    this.#flowActive.set(job.flowId, (this.#flowActive.get(job.flowId) ?? 0) + 1);
    const controller = new AbortController();
    const active: ActiveJob = Object.freeze({
      id: job.id,
      flowId: job.flowId,
      // A copy: a handler mutating its input must not change what a retry sees.
      data: structuredClone(job.data),
      priority: job.priority,
      attempt: job.attempt,
      ...(job.scheduleId === undefined ? {} : { scheduleId: job.scheduleId }),
      ...(job.scheduledAt === undefined ? {} : { scheduledAt: job.scheduledAt }),
      signal: controller.signal,
    });
    const running: Running = { done: Promise.resolve(), controller, abandoned: false };
    worker.running.set(job.id, running);
    running.done = this.#run({ worker, entry, active, running });
  }

  async #run(options: { worker: WorkerState; entry: Entry; active: ActiveJob; running: Running }): Promise<void> {
    const { worker, entry, active, running } = options;
    let outcome: FailureOutcome | { kind: 'done' } = { kind: 'done' };
    let failure: unknown;
    try {
      await worker.handler(active);
    } catch (error) {
      failure = error;
      outcome = decideFailure({ error, attempt: active.attempt, policy: this.#policy });
    }
    const flowId = entry.job.flowId;
    this.#flowActive.set(flowId, (this.#flowActive.get(flowId) ?? 1) - 1);
    try {
      if (running.abandoned) {
        // Like a crash: the job stays stored as it was and is delivered again (here, or after a restart).
        if (!this.#closed && this.#jobs.get(entry.job.id) === entry) this.#makeWaiting(entry);
        return;
      }
      await this.#settle(entry, outcome, failure);
    } finally {
      worker.running.delete(entry.job.id);
      this.#pump();
    }
  }

  async #settle(entry: Entry, outcome: FailureOutcome | { kind: 'done' }, failure: unknown): Promise<void> {
    const { job } = entry;
    if (outcome.kind === 'retry') {
      entry.job = {
        ...job,
        attempt: job.attempt + 1,
        runAt: Date.now() + outcome.delayMs,
        data: outcome.data ?? job.data,
      };
      try {
        await this.#persistence?.saveJob(entry.job);
      } catch (error) {
        this.#reportError(new QueueError({ code: 'QUEUE_PERSISTENCE_FAILED', message: `could not persist the retry of job ${job.id}`, cause: error }));
      }
      if (this.#closed) return;
      this.#delay(entry);
      return;
    }
    try {
      await this.#persistence?.deleteJob(job.id);
    } catch (error) {
      // Still stored, so it runs again after a restart: at-least-once, never lost.
      this.#reportError(new QueueError({ code: 'QUEUE_PERSISTENCE_FAILED', message: `could not delete finished job ${job.id}`, cause: error }));
    }
    if (this.#jobs.get(job.id) === entry) this.#jobs.delete(job.id);
    if (outcome.kind === 'fail') {
      this.#events.emit({
        type: 'job-failed',
        job: { id: job.id, flowId: job.flowId, priority: job.priority, attempt: job.attempt, data: job.data },
        error: serializeError(failure),
      });
    }
  }

  async #closeWorker(worker: WorkerState, options: CloseOptions): Promise<void> {
    worker.closing = true;
    this.#workers.delete(worker);
    if (options.drain) {
      await within(Promise.allSettled([...worker.running.values()].map((r) => r.done)), options.timeoutMs);
    }
    // Whatever is still running is abandoned: its job stays stored and is delivered again, by this
    // queue once the handler returns, or after a restart when the queue itself is closing.
    for (const running of worker.running.values()) {
      running.abandoned = true;
      running.controller.abort(new QueueError({ code: 'QUEUE_CLOSED', message: 'the worker stopped' }));
    }
  }

  #armSchedule(schedule: LocalSchedule, from: number): void {
    const next = schedule.cron.nextRun(new Date(from));
    schedule.next = next === null ? null : next.getTime();
    if (schedule.next === null) return;
    const at = schedule.next;
    schedule.timer = runAt(at, () => {
      if (this.#schedules.get(schedule.spec.id) !== schedule) return;
      this.#armSchedule(schedule, Math.max(at, Date.now()));
      this.#tick(schedule.spec, at).catch((error: unknown) => this.#reportError(error));
    });
  }

  async #tick(spec: ScheduleSpec, scheduledAt: number): Promise<void> {
    const base = { scheduleId: spec.id, flowId: spec.job.flowId, scheduledAt };
    if (spec.window !== undefined && !isInWindow({ at: scheduledAt, tz: spec.tz, window: spec.window })) {
      this.#events.emit({ type: 'schedule-skipped', ...base });
      return;
    }
    const jobId = scheduleJobId(spec.id, scheduledAt);
    const now = Date.now();
    await this.#enqueue({
      id: jobId,
      flowId: spec.job.flowId,
      data: spec.job.data,
      priority: spec.job.priority,
      attempt: 1,
      runAt: now,
      enqueuedAt: now,
      scheduleId: spec.id,
      scheduledAt,
    });
    this.#events.emit({ type: 'schedule-fired', ...base, jobId });
  }

  #stopSchedule(id: string): boolean {
    const schedule = this.#schedules.get(id);
    if (schedule === undefined) return false;
    schedule.timer?.cancel();
    schedule.cron.stop();
    this.#schedules.delete(id);
    return true;
  }

  #reportError(error: unknown): void {
    this.#events.emit({ type: 'error', error: serializeError(error) });
  }
}

/** Creates a local queue and re-enqueues what its persistence still holds from a previous run. */
export async function createLocalQueue(options: LocalQueueOptions = {}): Promise<LocalJobQueue> {
  const queue = new LocalJobQueue(options);
  await queue.recover();
  return queue;
}
