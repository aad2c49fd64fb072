import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createAttemptLimiter, createRedisAttemptLimiter, type AttemptLimiter } from './rate-limit.ts';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const redis = new Redis(REDIS_URL);
afterAll(() => redis.disconnect());

// The same behaviour from both: `make` returns limiters sharing one set of counters (the memory one can
// only share by being the same object; Redis ones share across processes).
describe.each([
  ['memory', (limits: { max: number; windowMs: number }) => {
    const one = createAttemptLimiter(limits);
    return (): AttemptLimiter => one;
  }],
  ['redis', (limits: { max: number; windowMs: number }) => {
    const prefix = `tributary-test:sign-in:${randomUUID()}`;
    return (): AttemptLimiter => createRedisAttemptLimiter(redis, { ...limits, prefix });
  }],
] as const)('%s attempt limiter', (_name, make) => {
  it('allows max attempts per key in a window, then says how many seconds to wait', async () => {
    const limiter = make({ max: 3, windowMs: 60_000 })();
    expect([await limiter.hit('a'), await limiter.hit('a'), await limiter.hit('a')]).toEqual([0, 0, 0]);
    const wait = await limiter.hit('a');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await limiter.retryAfter('a')).toBe(wait);
    expect(await limiter.hit('b')).toBe(0);
    expect(await limiter.retryAfter('b')).toBe(0);
  });

  it('takes an attempt back on undo and forgets a key on reset', async () => {
    const limiter = make({ max: 2, windowMs: 60_000 })();
    await limiter.hit('k');
    await limiter.hit('k');
    expect(await limiter.retryAfter('k')).toBeGreaterThan(0);
    await limiter.undo('k');
    expect(await limiter.retryAfter('k')).toBe(0);
    expect(await limiter.hit('k')).toBe(0);
    expect(await limiter.hit('k')).toBeGreaterThan(0);
    await limiter.reset('k');
    expect(await limiter.hit('k')).toBe(0);
    await limiter.undo('never-seen');
    expect(await limiter.hit('never-seen')).toBe(0);
  });

  it('opens again once the window is over', async () => {
    const limiter = make({ max: 1, windowMs: 300 })();
    expect(await limiter.hit('w')).toBe(0);
    expect(await limiter.hit('w')).toBe(1);
    await new Promise((r) => setTimeout(r, 350));
    expect(await limiter.hit('w')).toBe(0);
  });
});

describe('redis attempt limiter across processes', () => {
  it('gives all server processes one budget, not one each', async () => {
    const prefix = `tributary-test:sign-in:${randomUUID()}`;
    const other = new Redis(REDIS_URL);
    try {
      const a = createRedisAttemptLimiter(redis, { max: 10, windowMs: 60_000, prefix });
      const b = createRedisAttemptLimiter(other, { max: 10, windowMs: 60_000, prefix });
      for (let i = 0; i < 10; i++) expect(await (i % 2 ? a : b).hit('guess@example.com')).toBe(0);
      expect(await a.hit('guess@example.com')).toBeGreaterThan(0);
      expect(await b.hit('guess@example.com')).toBeGreaterThan(0);
      expect(await b.retryAfter('guess@example.com')).toBeGreaterThan(0);
    } finally {
      other.disconnect();
    }
  });
});
