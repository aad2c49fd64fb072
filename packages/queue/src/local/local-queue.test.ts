import { describe, expect, it, vi } from 'vitest';
import { QueueError } from '../errors.ts';
import type { QueueEvent } from '../types.ts';
import { createLocalQueue } from './local-queue.ts';
import { createMemoryPersistence, type JobPersistence, type StoredJob } from './persistence.ts';

function stored(id: string, overrides: Partial<StoredJob> = {}): StoredJob {
  return { id, flowId: 'flw_a', data: { id }, priority: 'normal', attempt: 1, runAt: 0, enqueuedAt: 0, ...overrides };
}

describe('local driver persistence', () => {
  it('does not accept a job its persistence could not save', async () => {
    const failing: JobPersistence = {
      saveJob: async () => {
        throw new Error('disk full');
      },
      deleteJob: async () => undefined,
      loadJobs: async () => [],
    };
    const queue = await createLocalQueue({ persistence: failing });
    const error = await queue.add({ id: 'run_1', flowId: 'flw_a', data: null, priority: 'high' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(QueueError);
    expect(error).toMatchObject({ code: 'QUEUE_PERSISTENCE_FAILED', retryable: true });
    expect(await queue.depth()).toEqual({ waiting: 0, active: 0, delayed: 0 });
    await queue.close();
  });

  it('recovers stored jobs in priority then enqueue order, skips and reports corrupt rows, and is idempotent', async () => {
    const persistence = createMemoryPersistence();
    await persistence.saveJob(stored('run_late_low', { priority: 'low', enqueuedAt: 1 }));
    await persistence.saveJob(stored('run_second', { enqueuedAt: 20 }));
    await persistence.saveJob(stored('run_first', { enqueuedAt: 10 }));
    await persistence.saveJob(stored('run_urgent', { priority: 'high', enqueuedAt: 30 }));
    await persistence.saveJob(stored('run_retry', { runAt: Date.now() + 60_000, attempt: 3 }));
    const rows = [...(await persistence.loadJobs()), { id: 'garbage', priority: 'highest' }];
    const queue = await createLocalQueue({ persistence: { ...persistence, loadJobs: async () => rows as StoredJob[] } });
    const events: QueueEvent[] = [];
    queue.on((event) => events.push(event));

    expect(await queue.depth()).toEqual({ waiting: 4, active: 0, delayed: 1 });
    expect(await queue.recover()).toBe(0);
    expect(events.filter((e) => e.type === 'error')).toHaveLength(1);

    const order: string[] = [];
    queue.process(async (job) => {
      order.push(job.id);
    }, { concurrency: 1 });
    await vi.waitFor(() => expect(order).toHaveLength(4));
    expect(order).toEqual(['run_urgent', 'run_first', 'run_second', 'run_late_low']);
    await vi.waitFor(() => expect(persistence.snapshot().map((j) => j.id)).toEqual(['run_retry']));
    await queue.close();
  });
});
