import { createBullmqQueue, type BullmqQueueOptions } from './bullmq/bullmq-queue.ts';
import { QueueError } from './errors.ts';
import { createLocalQueue, type LocalQueueOptions } from './local/local-queue.ts';
import type { JobQueue } from './types.ts';

export type CreateQueueOptions = ({ driver: 'local' } & LocalQueueOptions) | ({ driver: 'bullmq' } & BullmqQueueOptions);

/**
 * Opens a queue with the chosen driver: `local` (in-process, embedded mode; pass a persistence to make
 * jobs survive restarts — its unfinished jobs are re-enqueued before this resolves) or `bullmq` (Redis,
 * scaled mode; rejects with QUEUE_UNAVAILABLE when Redis can't be reached).
 *
 * @example
 * const queue = await createQueue({ driver: 'bullmq', redisUrl: process.env.REDIS_URL!, prefix: 'tributary' });
 * await queue.add({ id: runId, flowId, data: event, priority: 'high' });
 * const worker = queue.process(async (job) => runFlow(job.data), { concurrency: 8 });
 */
export async function createQueue(options: CreateQueueOptions): Promise<JobQueue> {
  switch (options.driver) {
    case 'local': {
      const { driver: _driver, ...local } = options;
      return createLocalQueue(local);
    }
    case 'bullmq': {
      const { driver: _driver, ...bullmq } = options;
      return createBullmqQueue(bullmq);
    }
    default: {
      const driver: unknown = Reflect.get(options, 'driver');
      throw new QueueError({ code: 'QUEUE_INVALID_ARGUMENT', message: `unknown queue driver ${String(driver)}`, details: { driver } });
    }
  }
}
