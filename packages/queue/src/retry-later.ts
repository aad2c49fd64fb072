import type { JsonValue } from './json.ts';

export interface RetryLaterOptions {
  /** Deliver the job again after this long. The retry is durable: it survives a restart. */
  delayMs: number;
  /** Replaces the job's data for the next delivery (e.g. progress so far). */
  data?: JsonValue;
  reason?: string;
}

/**
 * Thrown by a handler to ask for a delayed, durable retry (honouring a Retry-After, or backing off
 * a step). It does not count against the retry policy's `maxAttempts`: the handler decides when to stop.
 *
 * @example
 * queue.process(async (job) => {
 *   const res = await callErp(job.data);
 *   if (res.status === 429) throw new RetryLater({ delayMs: res.retryAfterMs });
 * }, { concurrency: 4 });
 */
export class RetryLater extends Error {
  override readonly name = 'RetryLater';
  readonly delayMs: number;
  readonly data: JsonValue | undefined;

  constructor(options: RetryLaterOptions) {
    super(options.reason ?? `retry in ${options.delayMs} ms`);
    this.delayMs = Math.max(0, Math.floor(options.delayMs));
    this.data = options.data;
  }
}

export function isRetryLater(value: unknown): value is RetryLater {
  return value instanceof RetryLater;
}
