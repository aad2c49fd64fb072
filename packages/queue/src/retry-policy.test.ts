import { describe, expect, it } from 'vitest';
import { QueueError } from './errors.ts';
import { RetryLater } from './retry-later.ts';
import { backoffDelay, decideFailure } from './retry-policy.ts';

const policy = { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 5_000 };

describe('decideFailure', () => {
  it.each([
    { name: 'a plain error is retried', error: new Error('socket hang up'), attempt: 1, kind: 'retry' },
    { name: 'retried until maxAttempts tries were made', error: new Error('503'), attempt: 2, kind: 'retry' },
    { name: 'fails once maxAttempts is reached', error: new Error('503'), attempt: 3, kind: 'fail' },
    { name: 'retryable: false fails at once', error: new QueueError({ code: 'QUEUE_INVALID_JOB', message: 'bad' }), attempt: 1, kind: 'fail' },
    { name: 'RetryLater ignores maxAttempts', error: new RetryLater({ delayMs: 60_000 }), attempt: 10, kind: 'retry' },
    { name: 'a thrown string is transient too', error: 'boom', attempt: 1, kind: 'retry' },
  ])('$name', ({ error, attempt, kind }) => {
    expect(decideFailure({ error, attempt, policy }).kind).toBe(kind);
  });

  it('RetryLater keeps its delay and new data', () => {
    expect(decideFailure({ error: new RetryLater({ delayMs: 1234.9, data: { cursor: 7 } }), attempt: 1, policy })).toEqual({
      kind: 'retry',
      delayMs: 1234,
      data: { cursor: 7 },
    });
  });
});

describe('backoffDelay', () => {
  it.each([
    { attempt: 1, low: 500, high: 1_000 },
    { attempt: 2, low: 1_000, high: 2_000 },
    { attempt: 3, low: 2_000, high: 4_000 },
    { attempt: 4, low: 2_500, high: 5_000 },
    { attempt: 20, low: 2_500, high: 5_000 },
  ])('attempt $attempt waits between $low and $high ms', ({ attempt, low, high }) => {
    expect(backoffDelay(policy, attempt, () => 0)).toBe(low);
    expect(backoffDelay(policy, attempt, () => 1)).toBe(high);
  });
});
