import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalRateLimiter, createRedisRateLimiter, type Reservation } from './rate-limit.ts';

/** Most slots granted inside any window of `windowMs`. */
function maxInWindow(slots: readonly number[], windowMs: number): number {
  const s = [...slots].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < s.length; i++) {
    while ((s[i] as number) - (s[j] as number) >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('createLocalRateLimiter', () => {
  it('allows the burst, then spaces requests at the rate', async () => {
    let now = 1_000_000;
    const sleeps: number[] = [];
    const limiter = createLocalRateLimiter({ now: () => now, sleep: async (ms) => void (sleeps.push(ms), (now += ms)) });
    const waited: number[] = [];
    for (let i = 0; i < 6; i++) waited.push((await limiter.acquire('k', { perSecond: 4, burst: 3 })).waitedMs);
    expect(waited).toEqual([0, 0, 0, 250, 250, 250]);
    now += 10_000; // a quiet spell refills the bucket, but never past the burst
    const after: number[] = [];
    for (let i = 0; i < 4; i++) after.push((await limiter.acquire('k', { perSecond: 4, burst: 3 })).waitedMs);
    expect(after).toEqual([0, 0, 0, 250]);
  });

  it('keeps keys apart', async () => {
    const limiter = createLocalRateLimiter({ now: () => 0 });
    const a = await limiter.reserve('a', { perSecond: 1 });
    const b = await limiter.reserve('b', { perSecond: 1 });
    expect([a.waitMs, b.waitMs]).toEqual([0, 0]);
    expect((await limiter.reserve('a', { perSecond: 1 })).waitMs).toBe(1000);
  });

  it('gives the slot back when the waiting step is aborted', async () => {
    const limiter = createLocalRateLimiter({ now: () => 0, sleep: (_ms, signal) => Promise.reject(signal?.reason) });
    await limiter.acquire('k', { perSecond: 1 });
    const ac = new AbortController();
    ac.abort(new Error('cancelled'));
    await expect(limiter.acquire('k', { perSecond: 1 }, ac.signal)).rejects.toThrow('cancelled');
    expect((await limiter.reserve('k', { perSecond: 1 })).waitMs).toBe(1000);
  });

  it.each([0, -1, Number.NaN])('refuses a rate of %s', async (perSecond) => {
    await expect(createLocalRateLimiter().reserve('k', { perSecond })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});

describe('createRedisRateLimiter (real Redis)', () => {
  const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const prefix = `test:sdk-ratelimit:${process.pid}:${Date.now()}:`;
  let a: Redis;
  let b: Redis;
  beforeAll(() => {
    a = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1 });
    b = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    const keys = await a.keys(`${prefix}*`);
    if (keys.length > 0) await a.del(...keys);
    a.disconnect();
    b.disconnect();
  });

  it('two workers sharing a key never exceed the rate together (fixed clock)', async () => {
    const now = () => 5_000_000;
    const w1 = createRedisRateLimiter(a, { prefix, now });
    const w2 = createRedisRateLimiter(b, { prefix, now });
    const limit = { perSecond: 5, burst: 5 };
    const grants: Reservation[] = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? w1 : w2).reserve('conn:shared-fixed', limit)));
    const slots = grants.map((g) => g.at);
    // Any one-second window holds at most burst + rate slots, and the slots are spread over ≥ (40-5)/5 s.
    expect(maxInWindow(slots, 1000)).toBeLessThanOrEqual(10);
    expect(Math.max(...slots) - Math.min(...slots)).toBe(7000);
    // If each worker had its own bucket, both would hand out their bursts at once.
    expect(grants.filter((g) => g.waitMs === 0)).toHaveLength(5);
  });

  it('two workers sharing a key on Redis’s own clock stay within the rate', async () => {
    const w1 = createRedisRateLimiter(a, { prefix });
    const w2 = createRedisRateLimiter(b, { prefix });
    const limit = { perSecond: 20, burst: 2 };
    const grants = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? w1 : w2).reserve('conn:shared-time', limit)));
    // burst + rate per second, plus one for rounding waits up to whole milliseconds.
    expect(maxInWindow(grants.map((g) => g.at), 1000)).toBeLessThanOrEqual(23);
    expect(Math.max(...grants.map((g) => g.waitMs))).toBeGreaterThan(1000);
  });

  it('acquire waits for the granted slot and different keys do not share', async () => {
    const sleeps: number[] = [];
    const w = createRedisRateLimiter(a, { prefix, now: () => 9_000_000, sleep: async (ms) => void sleeps.push(ms) });
    await w.acquire('conn:x', { perSecond: 2, burst: 1 });
    await w.acquire('conn:x', { perSecond: 2, burst: 1 });
    await w.acquire('conn:y', { perSecond: 2, burst: 1 });
    expect(sleeps).toEqual([500]);
  });

  it('sets an expiry so idle buckets do not pile up in Redis', async () => {
    const w = createRedisRateLimiter(a, { prefix });
    await w.reserve('conn:ttl', { perSecond: 10 });
    const ttl = await a.pttl(`${prefix}conn:ttl`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2000);
  });
});
