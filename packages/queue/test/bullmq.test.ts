import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import { createBullmqQueue, createQueue, QueueError, type BullmqJobQueue } from '../src/index.ts';
import { FlowSlots } from '../src/bullmq/flow-slots.ts';
import { CONTRACT_RETRY, queueContract } from './queue-contract.ts';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
// Short locks so a dead worker's job comes back within ~4 s instead of the production 30-45 s.
const LOCK_MS = 3_000;
const STALLED_MS = 1_000;
const CRASH_WORKER = fileURLToPath(new URL('./fixtures/crash-worker.ts', import.meta.url));

function waitForLine(child: ChildProcess, line: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`child did not print "${line}" within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      if (buffer.split('\n').includes(line)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited with ${code} before printing "${line}"; stderr: ${stderr}`));
    });
  });
}

queueContract('bullmq', async () => {
  const prefix = `tq-test-${randomUUID().slice(0, 8)}`;
  const open = (): Promise<BullmqJobQueue> =>
    createBullmqQueue({ redisUrl: REDIS_URL, prefix, retry: CONTRACT_RETRY, lockDurationMs: LOCK_MS, stalledIntervalMs: STALLED_MS, flowCapRetryMs: 50 });
  const handles: BullmqJobQueue[] = [];
  const children: ChildProcess[] = [];
  const queue = await open();
  handles.push(queue);
  return {
    queue,
    shared: true,
    async reopen() {
      const handle = await open();
      handles.push(handle);
      return handle;
    },
    async crashWhileProcessing(jobId) {
      const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', CRASH_WORKER, REDIS_URL, prefix, String(LOCK_MS), String(STALLED_MS)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      await waitForLine(child, `started ${jobId}`, 15_000);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    async cleanup() {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await Promise.all(handles.map((h) => h.close({ drain: false, timeoutMs: 0 })));
      // A fresh handle deletes every key under this test's prefix, including flow caps and leases.
      await (await open()).obliterate();
    },
  };
});

describe('bullmq driver specifics', () => {
  it('fails fast with QUEUE_UNAVAILABLE when Redis is not reachable', async () => {
    const error = await createQueue({ driver: 'bullmq', redisUrl: 'redis://127.0.0.1:1', prefix: 'tq-unreachable', connectTimeoutMs: 1_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(QueueError);
    expect(error).toMatchObject({ code: 'QUEUE_UNAVAILABLE', kind: 'transient', retryable: true });
  });

  it('leaves no keys behind after obliterate', async () => {
    const prefix = `tq-test-${randomUUID().slice(0, 8)}`;
    const queue = await createBullmqQueue({ redisUrl: REDIS_URL, prefix });
    await queue.setFlowConcurrency('flw_a', 1);
    await queue.add({ id: 'run_1', flowId: 'flw_a', data: null, priority: 'normal' });
    await queue.upsertSchedule({ id: 'sch_1', cron: '0 3 * * *', tz: 'UTC', job: { flowId: 'flw_a', data: null, priority: 'low' } });
    const redis = new Redis(REDIS_URL);
    try {
      expect((await redis.keys(`${prefix}:*`)).length).toBeGreaterThan(0);
      await queue.obliterate();
      expect(await redis.keys(`${prefix}:*`)).toEqual([]);
    } finally {
      await redis.quit();
    }
  });
});

describe('flow slots (per-flow cap leases)', () => {
  it('frees a dead holder\'s slot when its lease expires, and lets a redelivered job re-enter its own', async () => {
    const redis = new Redis(REDIS_URL);
    const keyPrefix = `tq-test-${randomUUID().slice(0, 8)}:jobs`;
    const slots = new FlowSlots({ redis, keyPrefix, leaseMs: 300 });
    try {
      expect(await slots.acquire('flw_a', 'run_1')).toBe('uncapped');
      await slots.setCap('flw_a', 1);
      expect(await slots.acquire('flw_a', 'run_1')).toBe('acquired');
      expect(await slots.acquire('flw_a', 'run_1')).toBe('acquired');
      expect(await slots.acquire('flw_a', 'run_2')).toBe('full');
      expect(await slots.acquire('flw_b', 'run_3')).toBe('uncapped');
      // run_1's worker "dies": nobody renews or releases its lease.
      await vi.waitFor(async () => expect(await slots.acquire('flw_a', 'run_2')).toBe('acquired'), { timeout: 5_000, interval: 50 });
      expect(await slots.acquire('flw_a', 'run_1')).toBe('full');
      await slots.release('flw_a', 'run_2');
      expect(await slots.acquire('flw_a', 'run_1')).toBe('acquired');
      await slots.setCap('flw_a', null);
      expect(await slots.acquire('flw_a', 'run_9')).toBe('uncapped');
    } finally {
      const keys = await redis.keys(`${keyPrefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
  });
});
