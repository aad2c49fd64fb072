import { z } from 'zod';
import { findNonJson, type JsonValue } from '../json.ts';
import type { Priority } from '../types.ts';

/** BullMQ job names: a run job carries an envelope, a tick job (made by a job scheduler) carries its ScheduleSpec. */
export const RUN_JOB = 'run';
export const TICK_JOB = 'tick';

/** BullMQ priorities: lower runs first; 0 would mean "no priority" and jump ahead of all prioritised jobs. */
export const BULLMQ_PRIORITY: Readonly<Record<Priority, number>> = { high: 1, normal: 2, low: 3 };

/** What a run job stores in BullMQ's `data`. */
export interface RunEnvelope {
  flowId: string;
  priority: Priority;
  payload: JsonValue;
  attempt: number;
  enqueuedAt: number;
  scheduleId?: string;
  scheduledAt?: number;
}

const envelopeSchema = z.object({
  flowId: z.string().min(1),
  priority: z.enum(['high', 'normal', 'low']),
  payload: z.custom<JsonValue>((value) => findNonJson(value) === null),
  attempt: z.number().int().min(1),
  enqueuedAt: z.number(),
  scheduleId: z.string().optional(),
  scheduledAt: z.number().optional(),
});

export function readEnvelope(value: unknown): RunEnvelope | null {
  const result = envelopeSchema.safeParse(value);
  return result.success ? result.data : null;
}

/** The tick time of a job-scheduler job: BullMQ keeps it in `opts.prevMillis` and in the id `repeat:<scheduler>:<millis>`. */
export function tickTimeOf(job: { id?: string | undefined; opts: { prevMillis?: number | undefined } }): number | null {
  if (typeof job.opts.prevMillis === 'number' && job.opts.prevMillis > 0) return job.opts.prevMillis;
  const match = job.id === undefined ? null : /:(\d+)$/.exec(job.id);
  return match?.[1] === undefined ? null : Number(match[1]);
}
