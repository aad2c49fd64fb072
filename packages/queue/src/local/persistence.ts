import { z } from 'zod';
import { findNonJson, type JsonValue } from '../json.ts';
import type { Priority } from '../types.ts';

/** A queued job as the local driver persists it: everything needed to enqueue it again after a restart. */
export interface StoredJob {
  id: string;
  flowId: string;
  data: JsonValue;
  priority: Priority;
  /** 1-based try counter (see ActiveJob.attempt). */
  attempt: number;
  /** When the job becomes available, ms since epoch (later than now for delayed jobs and retries). */
  runAt: number;
  /** When it was first enqueued; recovery keeps FIFO order within a priority by this. */
  enqueuedAt: number;
  scheduleId?: string;
  scheduledAt?: number;
}

/**
 * Where the local driver makes jobs durable. The embedded server implements it over PGlite; tests use
 * `createMemoryPersistence`. Any implementation must pass `persistenceContract` from `@tributary/queue/testing`.
 */
export interface JobPersistence {
  /** Inserts or replaces the job with this id. Resolves once the job is durable. */
  saveJob(job: StoredJob): Promise<void>;
  /** Removes the job; a no-op when there is none. */
  deleteJob(id: string): Promise<void>;
  /** Every job saved and not deleted, in any order. */
  loadJobs(): Promise<readonly StoredJob[]>;
}

const storedJobSchema = z.object({
  id: z.string().min(1),
  flowId: z.string().min(1),
  data: z.custom<JsonValue>((value) => findNonJson(value) === null),
  priority: z.enum(['high', 'normal', 'low']),
  attempt: z.number().int().min(1),
  runAt: z.number(),
  enqueuedAt: z.number(),
  scheduleId: z.string().optional(),
  scheduledAt: z.number().optional(),
});

/** Parses a row a persistence returned; null when it is not a job this driver wrote. */
export function readStoredJob(value: unknown): StoredJob | null {
  const result = storedJobSchema.safeParse(value);
  return result.success ? result.data : null;
}

export interface MemoryPersistence extends JobPersistence {
  /** Copies of what is stored right now, for assertions. */
  snapshot(): StoredJob[];
}

/** Keeps jobs in a Map: survives a queue instance, not the process. For tests and throwaway setups. */
export function createMemoryPersistence(): MemoryPersistence {
  const jobs = new Map<string, StoredJob>();
  return {
    async saveJob(job) {
      jobs.set(job.id, structuredClone(job));
    },
    async deleteJob(id) {
      jobs.delete(id);
    },
    async loadJobs() {
      return [...jobs.values()].map((job) => structuredClone(job));
    },
    snapshot() {
      return [...jobs.values()].map((job) => structuredClone(job));
    },
  };
}
