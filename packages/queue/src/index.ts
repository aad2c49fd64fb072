export { createQueue, type CreateQueueOptions } from './create-queue.ts';
export { BullmqJobQueue, createBullmqQueue, type BullmqQueueOptions } from './bullmq/bullmq-queue.ts';
export { LocalJobQueue, createLocalQueue, type LocalQueueOptions } from './local/local-queue.ts';
export { createMemoryPersistence, type JobPersistence, type MemoryPersistence, type StoredJob } from './local/persistence.ts';
export { RetryLater, isRetryLater, type RetryLaterOptions } from './retry-later.ts';
export { DEFAULT_RETRY_POLICY, backoffDelay } from './retry-policy.ts';
export { isInWindow } from './window.ts';
export {
  QueueError,
  isQueueError,
  type QueueErrorCode,
  type QueueErrorDetails,
  type QueueErrorKind,
  type SerializedError,
} from './errors.ts';
export type { JsonObject, JsonPrimitive, JsonValue } from './json.ts';
export type {
  ActiveJob,
  CloseOptions,
  FailedJobInfo,
  JobHandler,
  JobQueue,
  NewJob,
  Priority,
  ProcessOptions,
  QueueDepth,
  QueueDriverName,
  QueueEvent,
  QueueListener,
  QueueWorker,
  RetryPolicy,
  RunWindow,
  ScheduleInfo,
  ScheduleJobTemplate,
  ScheduleSpec,
} from './types.ts';
