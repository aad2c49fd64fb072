import { isRetryLater } from './retry-later.ts';
import type { JsonValue } from './json.ts';
import type { RetryPolicy } from './types.ts';

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 300_000 };

/** What happens to a job after its handler threw. Both drivers take this decision the same way. */
export type FailureOutcome =
  | { kind: 'retry'; delayMs: number; data: JsonValue | undefined }
  | { kind: 'fail' };

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so retries of many
 * jobs that failed together spread out but never come back sooner than half the step.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (step / 2) * random());
}

function notRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && Reflect.get(error, 'retryable') === false;
}

/**
 * RetryLater -> retry after its delay; an error carrying `retryable: false` -> fail at once;
 * anything else is treated as transient and retried with backoff until `maxAttempts` tries were made.
 */
export function decideFailure(options: { error: unknown; attempt: number; policy: RetryPolicy }): FailureOutcome {
  const { error, attempt, policy } = options;
  if (isRetryLater(error)) return { kind: 'retry', delayMs: error.delayMs, data: error.data };
  if (notRetryable(error) || attempt >= policy.maxAttempts) return { kind: 'fail' };
  return { kind: 'retry', delayMs: backoffDelay(policy, attempt), data: undefined };
}
