/**
 * Shopify's GraphQL Admin API limits by calculated query cost with a leaky bucket per app and store
 * (https://shopify.dev/docs/api/usage/rate-limits). Every response reports
 * `extensions.cost.throttleStatus { maximumAvailable, currentlyAvailable, restoreRate }`; this module keeps the last
 * one per connection and says how long to wait before a query of a given cost fits. Pure: no I/O, no timers.
 */

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface ThrottleSnapshot {
  status: ThrottleStatus;
  /** When the status was read, in the step clock's ms. */
  observedAt: number;
}

/** What a query is assumed to cost before its first response says otherwise. */
export const DEFAULT_QUERY_COST_ESTIMATE = 50;

/** Points the bucket holds now, assuming it refilled at `restoreRate` since it was observed. */
export function projectedAvailable(s: ThrottleSnapshot, now: number): number {
  const elapsed = Math.max(0, now - s.observedAt) / 1000;
  return Math.min(s.status.maximumAvailable, s.status.currentlyAvailable + elapsed * s.status.restoreRate);
}

/** Milliseconds until a query of `cost` points fits in the bucket (0 when it fits now or nothing is known yet). */
export function waitForCostMs(s: ThrottleSnapshot | undefined, cost: number, now: number): number {
  if (!s || s.status.restoreRate <= 0) return 0;
  // A query bigger than the bucket can only wait for a full bucket; Shopify then rejects it on cost, not on throttle.
  const needed = Math.min(cost, s.status.maximumAvailable);
  const available = projectedAvailable(s, now);
  if (needed <= available) return 0;
  return Math.ceil(((needed - available) / s.status.restoreRate) * 1000);
}

export interface CostTracker {
  /** Last requested cost of this document, else the default estimate. */
  estimate(document: string): number;
  record(document: string, cost: number): void;
  observe(key: string, status: ThrottleStatus, now: number): void;
  snapshot(key: string): ThrottleSnapshot | undefined;
}

export function createCostTracker(): CostTracker {
  const costs = new Map<string, number>();
  const buckets = new Map<string, ThrottleSnapshot>();
  return {
    estimate: (document) => costs.get(document) ?? DEFAULT_QUERY_COST_ESTIMATE,
    record: (document, cost) => void costs.set(document, cost),
    observe: (key, status, now) => void buckets.set(key, { status, observedAt: now }),
    snapshot: (key) => buckets.get(key),
  };
}
