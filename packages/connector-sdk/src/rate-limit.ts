import type { RateLimiterPort } from './context.ts';
import { ConnectorError } from './errors.ts';

export interface RateLimit {
  perSecond: number;
  /** Requests allowed back to back after a quiet spell; defaults to `max(1, perSecond)`. */
  burst?: number;
}

/** A granted slot: wait `waitMs`, then send (at `at`, in the limiter's clock). */
export interface Reservation {
  waitMs: number;
  at: number;
}

/** A rate limiter that can also say when a slot is granted without waiting for it (used by tests and metrics). */
export interface TokenBucketLimiter extends RateLimiterPort {
  reserve(key: string, limit: RateLimit): Promise<Reservation>;
}

export interface LimiterTiming {
  /** Defaults to `Date.now`. */
  now?: () => number;
  /** Defaults to a timer that rejects with the signal's reason when aborted. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

function checkLimit(limit: RateLimit): { perMs: number; capacity: number } {
  if (!(limit.perSecond > 0) || !Number.isFinite(limit.perSecond)) {
    throw new ConnectorError('CONFIG_INVALID', `rate limit must be a positive number of requests per second, got ${limit.perSecond}`);
  }
  const capacity = limit.burst ?? Math.max(1, limit.perSecond);
  if (!(capacity >= 1)) throw new ConnectorError('CONFIG_INVALID', `rate limit burst must be at least 1, got ${capacity}`);
  return { perMs: limit.perSecond / 1000, capacity };
}

/** Sleeps `ms`, rejecting with the signal's reason as soon as it aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Token bucket in this process's memory: right for the embedded mode (one process) and for tests.
 * A request that has to wait reserves its slot first, so waiters are served in arrival order.
 * @example
 * const limiter = createLocalRateLimiter();
 * await limiter.acquire('connection:shopify-main', { perSecond: 2, burst: 40 });
 */
export function createLocalRateLimiter(timing: LimiterTiming = {}): TokenBucketLimiter {
  const now = timing.now ?? Date.now;
  const sleep = timing.sleep ?? abortableSleep;
  const buckets = new Map<string, { tokens: number; ts: number }>();
  const reserveSync = (key: string, limit: RateLimit): Reservation => {
    const { perMs, capacity } = checkLimit(limit);
    const t = now();
    const b = buckets.get(key) ?? { tokens: capacity, ts: t };
    if (t > b.ts) {
      b.tokens = Math.min(capacity, b.tokens + (t - b.ts) * perMs);
      b.ts = t;
    }
    b.tokens -= 1;
    buckets.set(key, b);
    const waitMs = b.tokens < 0 ? Math.ceil(-b.tokens / perMs) : 0;
    return { waitMs, at: t + waitMs };
  };
  return {
    reserve: async (key, limit) => reserveSync(key, limit),
    async acquire(key, limit, signal) {
      if (signal?.aborted) throw signal.reason;
      const r = reserveSync(key, limit);
      if (r.waitMs > 0) {
        try {
          await sleep(r.waitMs, signal);
        } catch (err) {
          // Give the slot back: an aborted step never sends its request.
          const b = buckets.get(key);
          if (b) b.tokens = Math.min(checkLimit(limit).capacity, b.tokens + 1);
          throw err;
        }
      }
      return { waitedMs: r.waitMs };
    },
  };
}

/** The one Redis command the limiter needs; an ioredis or node-redis client (wrapped) fits. */
export interface RedisEval {
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

// Token bucket with reservations: the count may go negative, and the caller waits until its slot.
// One script = one atomic step, so every worker sharing the key sees one bucket. The clock is Redis's
// own TIME unless the caller passes one (ARGV[3] >= 0), so worker clock skew cannot widen the rate.
const TOKEN_BUCKET_LUA = `
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local s = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(s[1])
local ts = tonumber(s[2])
if tokens == nil or ts == nil then
  tokens = capacity
  ts = now
end
if now > ts then
  tokens = math.min(capacity, tokens + (now - ts) * rate)
  ts = now
end
tokens = tokens - 1
local wait = 0
if tokens < 0 then wait = math.ceil(-tokens / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(ts))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate) + 1000)
return { wait, now }
`;

export interface RedisRateLimiterOptions extends LimiterTiming {
  /** Key prefix; defaults to `tributary:ratelimit:`. */
  prefix?: string;
}

/**
 * Token bucket in Redis shared by every worker: two workers using one connection together stay under
 * its limit. Uses Redis's clock unless `now` is given.
 * @example
 * const limiter = createRedisRateLimiter(new Redis(process.env.REDIS_URL));
 * await limiter.acquire('connection:erp-main', { perSecond: 10 });
 */
export function createRedisRateLimiter(redis: RedisEval, options: RedisRateLimiterOptions = {}): TokenBucketLimiter {
  const prefix = options.prefix ?? 'tributary:ratelimit:';
  const sleep = options.sleep ?? abortableSleep;
  const clock = options.now;
  const reserve = async (key: string, limit: RateLimit): Promise<Reservation> => {
    const { perMs, capacity } = checkLimit(limit);
    let reply: unknown;
    try {
      reply = await redis.eval(TOKEN_BUCKET_LUA, 1, prefix + key, String(perMs), String(capacity), String(clock ? Math.floor(clock()) : -1));
    } catch (err) {
      throw new ConnectorError('INTERNAL', 'the shared rate limiter could not reach Redis', { kind: 'transient', retryable: true, cause: err });
    }
    if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number') {
      throw new ConnectorError('INTERNAL', 'the shared rate limiter got an unexpected reply from Redis', { details: { reply: String(reply) } });
    }
    return { waitMs: reply[0], at: reply[1] + reply[0] };
  };
  return {
    reserve,
    async acquire(key, limit, signal) {
      if (signal?.aborted) throw signal.reason;
      const r = await reserve(key, limit);
      if (r.waitMs > 0) await sleep(r.waitMs, signal);
      return { waitedMs: r.waitMs };
    },
  };
}
