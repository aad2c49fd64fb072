import type { SerializedError } from './errors.ts';
import type { JsonValue } from './json.ts';

/** Orders before customers before catalog: waiting `high` jobs are taken before `normal`, `normal` before `low`. */
export type Priority = 'high' | 'normal' | 'low';

export const PRIORITIES: readonly Priority[] = ['high', 'normal', 'low'];

/** A job to enqueue. Everything in it is JSON. */
export interface NewJob {
  /**
   * Unique job id (e.g. the run id). Adding a job whose id is still pending or running is a no-op,
   * so an event accepted twice is processed once. No ':' and not an integer (BullMQ reserves both).
   */
  id: string;
  /** The flow this job belongs to: per-flow concurrency caps count jobs by this id. */
  flowId: string;
  data: JsonValue;
  priority: Priority;
  /** Wait this long before the job becomes available. */
  delayMs?: number;
}

/** A job as a handler sees it. */
export interface ActiveJob {
  readonly id: string;
  readonly flowId: string;
  readonly data: JsonValue;
  readonly priority: Priority;
  /** 1 on the first try, +1 after each failed try (a thrown error or a RetryLater). Crash redeliveries do not count. */
  readonly attempt: number;
  /** Set when the job was fired by a schedule: the schedule id and the tick time it was fired for (ms since epoch). */
  readonly scheduleId?: string;
  readonly scheduledAt?: number;
  /**
   * Aborted when the worker stops without waiting for this handler (close without drain, or the drain
   * timeout passed). The job will be delivered again later; the handler should stop soon.
   */
  readonly signal: AbortSignal;
}

export type JobHandler = (job: ActiveJob) => Promise<void>;

export interface ProcessOptions {
  /** How many jobs this worker runs at once. */
  concurrency: number;
}

export interface CloseOptions {
  /** true: stop taking jobs and wait for in-flight handlers (up to timeoutMs); false: stop at once. */
  drain: boolean;
  timeoutMs: number;
}

/** A consumer started by `JobQueue.process`. */
export interface QueueWorker {
  /** Stops taking new jobs; with `drain`, waits up to `timeoutMs` for in-flight handlers. Abandoned jobs are delivered again later. */
  close(options?: CloseOptions): Promise<void>;
}

export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
}

/** A daily run window in the schedule's time zone, `HH:MM` 24-hour; start inclusive, end exclusive; may wrap midnight. */
export interface RunWindow {
  start: string;
  end: string;
}

export interface ScheduleJobTemplate {
  flowId: string;
  data: JsonValue;
  priority: Priority;
}

export interface ScheduleSpec {
  /** Stable id (e.g. the flow id); upserting the same id replaces the schedule. No ':'. */
  id: string;
  /** Cron pattern, 5 fields or 6 with seconds first. */
  cron: string;
  /** IANA time zone the pattern and the window are evaluated in, e.g. `Europe/Berlin`. */
  tz: string;
  window?: RunWindow;
  job: ScheduleJobTemplate;
}

export interface ScheduleInfo extends ScheduleSpec {
  /** Next tick time (ms since epoch) as the driver knows it, or null when unknown. */
  nextRunAt: number | null;
}

/** What failed jobs look like in `job-failed` events. */
export interface FailedJobInfo {
  id: string;
  flowId: string;
  priority: Priority;
  attempt: number;
  data: JsonValue;
}

export type QueueEvent =
  /** A job failed for good: a non-retryable error, or its attempts ran out. It will not be delivered again. */
  | { type: 'job-failed'; job: FailedJobInfo; error: SerializedError }
  /** A schedule tick fell outside the schedule's run window and did not enqueue a job. */
  | { type: 'schedule-skipped'; scheduleId: string; flowId: string; scheduledAt: number }
  /** A schedule tick enqueued a job. */
  | { type: 'schedule-fired'; scheduleId: string; flowId: string; scheduledAt: number; jobId: string }
  /** A background failure nobody awaited (Redis hiccup, persistence delete failing). */
  | { type: 'error'; error: SerializedError };

export type QueueListener = (event: QueueEvent) => void;

/** Transient-failure policy: exponential backoff with jitter, capped. */
export interface RetryPolicy {
  /** Total tries for a job whose handler keeps throwing retryable errors (RetryLater does not count). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export type QueueDriverName = 'local' | 'bullmq';

/**
 * A job queue: producer, consumers and schedules behind one interface, passed by every driver's
 * conformance suite (test/queue-contract.ts).
 */
export interface JobQueue {
  readonly driver: QueueDriverName;
  /** Enqueues a job; resolves once it is durable (Redis, or the local driver's persistence). */
  add(job: NewJob): Promise<void>;
  /** Starts a worker. Several workers may process one queue; caps and priorities hold across them. */
  process(handler: JobHandler, options: ProcessOptions): QueueWorker;
  /** At most `cap` jobs of `flowId` run at once across all workers of this queue; null removes the cap. */
  setFlowConcurrency(flowId: string, cap: number | null): Promise<void>;
  depth(): Promise<QueueDepth>;
  upsertSchedule(spec: ScheduleSpec): Promise<void>;
  /** Resolves true when a schedule was removed, false when there was none with this id. */
  removeSchedule(id: string): Promise<boolean>;
  listSchedules(): Promise<ScheduleInfo[]>;
  /** Re-enqueues unfinished jobs from durable storage; returns how many were added. Idempotent. */
  recover(): Promise<number>;
  /** Subscribes to queue events; returns the unsubscribe function. */
  on(listener: QueueListener): () => void;
  /** Stops schedules and workers (see QueueWorker.close) and releases connections. add() then fails with QUEUE_CLOSED. */
  close(options?: CloseOptions): Promise<void>;
}
