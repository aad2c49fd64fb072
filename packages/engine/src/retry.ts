import type { RetryPolicy } from '@tributary/flow';

/** Connector steps talk to systems that hiccup; pure steps are deterministic and gain nothing from a retry. */
export const DEFAULT_HOST_RETRY: RetryPolicy = { attempts: 5, backoff: 'exponential', initialDelayMs: 1000, maxDelayMs: 300_000 };
export const DEFAULT_ISOLATE_RETRY: RetryPolicy = { attempts: 1, backoff: 'fixed', initialDelayMs: 0, maxDelayMs: 0 };

/**
 * Delay before attempt `attempt + 1`: exponential with "equal jitter" (half fixed, half random) so a
 * burst of failures does not retry in lockstep, capped at maxDelayMs — but never shorter than what the
 * server asked for with Retry-After.
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined, random: () => number): number {
  const initial = policy.initialDelayMs ?? 1000;
  const max = policy.maxDelayMs ?? 3_600_000;
  const base = policy.backoff === 'fixed' ? initial : initial * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(max, base);
  const jittered = Math.round(capped / 2 + (random() * capped) / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}
