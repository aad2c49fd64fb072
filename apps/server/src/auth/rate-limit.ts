import type { Redis } from 'ioredis';

/**
 * Fixed-window attempt counters for sign-in (per IP and per e-mail). Attempts are counted before the
 * password is checked (so parallel guesses count too) and a successful one is taken back.
 * In memory for one process (the embedded mode); in Redis when there is one (the scaled mode), so the
 * budget holds across every server process behind the load balancer, not once per process.
 */
export interface AttemptLimiter {
  /** Counts one attempt; resolves 0 when allowed, else the seconds until the key may try again. */
  hit(key: string): Promise<number>;
  /** Seconds until the key may try again, without counting (0 = allowed). */
  retryAfter(key: string): Promise<number>;
  /** Takes back one counted attempt (a sign-in that succeeded). */
  undo(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}

export interface AttemptLimits {
  max: number;
  windowMs: number;
}

/** Whole seconds to wait for `ms`, at least 1 (a Retry-After of 0 would invite an immediate retry). */
const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/** One process's counters. Old windows are swept as keys are touched. */
export function createAttemptLimiter(opts: AttemptLimits & { now?: () => number }): AttemptLimiter {
  const now = opts.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = now();
  const sweep = (t: number): void => {
    if (t - lastSweep < opts.windowMs) return;
    lastSweep = t;
    for (const [k, w] of windows) if (t - w.start >= opts.windowMs) windows.delete(k);
  };
  const wait = (w: { start: number }, t: number): number => seconds(w.start + opts.windowMs - t);
  return {
    async hit(key) {
      const t = now();
      sweep(t);
      let w = windows.get(key);
      if (!w || t - w.start >= opts.windowMs) {
        w = { start: t, count: 0 };
        windows.set(key, w);
      }
      if (w.count >= opts.max) return wait(w, t);
      w.count++;
      return 0;
    },
    async retryAfter(key) {
      const t = now();
      const w = windows.get(key);
      if (!w || t - w.start >= opts.windowMs || w.count < opts.max) return 0;
      return wait(w, t);
    },
    async undo(key) {
      const w = windows.get(key);
      if (w && w.count > 0) w.count--;
    },
    async reset(key) {
      windows.delete(key);
    },
  };
}

// KEYS[1] the window's counter; ARGV max, window ms. The window starts with its first attempt and the
// key expires with it. An attempt over the budget is not counted, so waiting out the window is enough.
const HIT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if n > tonumber(ARGV[1]) then
  redis.call('DECR', KEYS[1])
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); ttl = tonumber(ARGV[2]) end
  return ttl
end
return 0`;
const RETRY_AFTER = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n < tonumber(ARGV[1]) then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then return 0 end
return ttl`;
const UNDO = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

/** Counters in Redis under `<prefix>:<key>`, shared by every process using the same prefix. */
export function createRedisAttemptLimiter(redis: Redis, opts: AttemptLimits & { prefix: string }): AttemptLimiter {
  const k = (key: string): string => `${opts.prefix}:${key}`;
  const ms = (script: string, key: string): Promise<number> => redis.eval(script, 1, k(key), opts.max, opts.windowMs) as Promise<number>;
  return {
    hit: async (key) => {
      const ttl = await ms(HIT, key);
      return ttl > 0 ? seconds(ttl) : 0;
    },
    retryAfter: async (key) => {
      const ttl = await ms(RETRY_AFTER, key);
      return ttl > 0 ? seconds(ttl) : 0;
    },
    undo: async (key) => {
      await ms(UNDO, key);
    },
    reset: async (key) => {
      await redis.del(k(key));
    },
  };
}
