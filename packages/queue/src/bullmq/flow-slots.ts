import type { Redis } from 'ioredis';

/*
 * Per-flow concurrency caps on open-source BullMQ (BullMQ Pro's groups are not available).
 *
 * Each capped flow has a sorted set of leases: member = job id, score = lease expiry (Redis server
 * time, so worker clocks don't matter). Acquiring is one Lua script, atomic across every worker:
 * drop expired leases, re-enter if this job already holds one (a job redelivered after a crash
 * keeps its slot), else take a slot when fewer than `cap` are held. A running job renews its lease;
 * a crashed worker's lease simply expires (TTL = the BullMQ lock duration), so a kill -9 never leaks
 * a slot for longer than that. A job that finds no free slot is moved back to delayed by the caller
 * and retried shortly, so other flows keep flowing through the same workers.
 */

const ACQUIRE = `
local cap = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if cap == nil or cap <= 0 then return 1 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZSCORE', KEYS[2], ARGV[2]) or redis.call('ZCARD', KEYS[2]) < cap then
  redis.call('ZADD', KEYS[2], now + lease, ARGV[2])
  redis.call('PEXPIRE', KEYS[2], lease * 2)
  return 2
end
return 0
`;

const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[2])
local renewed = redis.call('ZADD', KEYS[1], 'XX', 'CH', now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease * 2)
return renewed
`;

export type SlotResult = 'uncapped' | 'acquired' | 'full';

export class FlowSlots {
  readonly #redis: Redis;
  readonly #keyPrefix: string;
  readonly #leaseMs: number;

  /** `keyPrefix` is the queue's key prefix (`<prefix>:<queue name>`), so obliterating the queue's keys removes these too. */
  constructor(options: { redis: Redis; keyPrefix: string; leaseMs: number }) {
    this.#redis = options.redis;
    this.#keyPrefix = options.keyPrefix;
    this.#leaseMs = options.leaseMs;
  }

  get leaseMs(): number {
    return this.#leaseMs;
  }

  #capsKey(): string {
    return `${this.#keyPrefix}:tributary:flow-caps`;
  }

  #slotsKey(flowId: string): string {
    return `${this.#keyPrefix}:tributary:flow-slots:${flowId}`;
  }

  async setCap(flowId: string, cap: number | null): Promise<void> {
    if (cap === null) await this.#redis.hdel(this.#capsKey(), flowId);
    else await this.#redis.hset(this.#capsKey(), flowId, String(cap));
  }

  async acquire(flowId: string, jobId: string): Promise<SlotResult> {
    const result = await this.#redis.eval(ACQUIRE, 2, this.#capsKey(), this.#slotsKey(flowId), flowId, jobId, String(this.#leaseMs));
    return result === 2 ? 'acquired' : result === 1 ? 'uncapped' : 'full';
  }

  async renew(flowId: string, jobId: string): Promise<void> {
    await this.#redis.eval(RENEW, 1, this.#slotsKey(flowId), jobId, String(this.#leaseMs));
  }

  async release(flowId: string, jobId: string): Promise<void> {
    await this.#redis.zrem(this.#slotsKey(flowId), jobId);
  }
}
