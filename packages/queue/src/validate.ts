import { Cron } from 'croner';
import { z } from 'zod';
import { QueueError, type QueueErrorCode } from './errors.ts';
import { findNonJson, jsonByteLength, type JsonValue } from './json.ts';
import type { CloseOptions, NewJob, ProcessOptions, RetryPolicy, ScheduleSpec } from './types.ts';
import { isValidTimeZone, parseHhmm } from './window.ts';

export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
const MAX_DELAY_MS = 365 * 24 * 3600 * 1000;

/** Ids end up in Redis keys and BullMQ job ids: no ':' (BullMQ's separator), no whitespace, not an integer. */
const idSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters')
  .regex(/^[^:\s]+$/, "must not contain ':' or whitespace")
  .refine((id) => `${Number.parseInt(id, 10)}` !== id, 'must not be an integer (BullMQ reserves integer ids)');

const flowIdSchema = z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters');
const prioritySchema = z.enum(['high', 'normal', 'low']);
const jsonSchema = z.custom<JsonValue>().superRefine((value, ctx) => {
  const bad = findNonJson(value, '$');
  if (bad !== null) ctx.addIssue({ code: 'custom', message: `is not plain JSON at ${bad} (undefined, a function, NaN, a Date or a cycle)` });
});

const newJobSchema = z.object({
  id: idSchema,
  flowId: flowIdSchema,
  data: jsonSchema,
  priority: prioritySchema,
  delayMs: z.number().int('must be an integer').min(0).max(MAX_DELAY_MS).optional(),
});

const windowSchema = z
  .object({
    start: z.string().refine((v) => parseHhmm(v) !== null, 'must be HH:MM (00:00–23:59)'),
    end: z.string().refine((v) => parseHhmm(v) !== null, 'must be HH:MM (00:00–23:59)'),
  })
  .refine((w) => w.start !== w.end, { message: 'start and end must differ', path: ['end'] });

function cronProblem(pattern: string, tz: string): string | null {
  try {
    const cron = new Cron(pattern, { timezone: tz, paused: true });
    const next = cron.nextRun();
    cron.stop();
    return next === null ? 'never fires' : null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const scheduleSchema = z
  .object({
    id: idSchema,
    cron: z.string().min(1, 'must not be empty'),
    tz: z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin'),
    window: windowSchema.optional(),
    job: z.object({ flowId: flowIdSchema, data: jsonSchema, priority: prioritySchema }),
  })
  .superRefine((spec, ctx) => {
    if (!isValidTimeZone(spec.tz)) return;
    const problem = cronProblem(spec.cron, spec.tz);
    if (problem !== null) ctx.addIssue({ code: 'custom', path: ['cron'], message: `invalid cron pattern: ${problem}` });
  });

const positiveInt = z.number().int('must be an integer').min(1, 'must be at least 1');

interface Issue {
  path: string;
  message: string;
}

function issuesOf(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message }));
}

function fail(code: QueueErrorCode, what: string, issues: Issue[]): QueueError {
  const summary = issues.map((i) => `${i.path} ${i.message}`).join('; ');
  return new QueueError({ code, message: `${what}: ${summary}`, details: { issues } });
}

/** Parses a job from a caller; throws QUEUE_INVALID_JOB naming every bad field, or QUEUE_PAYLOAD_TOO_LARGE. */
export function parseNewJob(input: unknown, maxPayloadBytes: number): NewJob {
  const result = newJobSchema.safeParse(input);
  if (!result.success) throw fail('QUEUE_INVALID_JOB', 'invalid job', issuesOf(result.error));
  const job = result.data;
  const size = jsonByteLength(job.data);
  if (size > maxPayloadBytes) {
    throw new QueueError({
      code: 'QUEUE_PAYLOAD_TOO_LARGE',
      message: `job ${job.id}: data is ${size} bytes, the limit is ${maxPayloadBytes}`,
      details: { jobId: job.id, bytes: size, limit: maxPayloadBytes },
    });
  }
  return job;
}

/** Parses a schedule; throws QUEUE_INVALID_SCHEDULE naming every bad field (bad cron, unknown tz, bad window...). */
export function parseScheduleSpec(input: unknown): ScheduleSpec {
  const result = scheduleSchema.safeParse(input);
  if (!result.success) throw fail('QUEUE_INVALID_SCHEDULE', 'invalid schedule', issuesOf(result.error));
  return result.data;
}

/** Re-reads a schedule that came back from storage (already validated when it was upserted). */
export function readScheduleSpec(input: unknown): ScheduleSpec | null {
  const result = scheduleSchema.safeParse(input);
  return result.success ? result.data : null;
}

export function parseId(value: unknown, what: string): string {
  const result = idSchema.safeParse(value);
  if (!result.success) throw fail('QUEUE_INVALID_ARGUMENT', `invalid ${what}`, issuesOf(result.error));
  return result.data;
}

export function parseFlowCap(flowId: unknown, cap: unknown): { flowId: string; cap: number | null } {
  const result = z.object({ flowId: flowIdSchema, cap: positiveInt.nullable() }).safeParse({ flowId, cap });
  if (!result.success) throw fail('QUEUE_INVALID_ARGUMENT', 'invalid flow concurrency', issuesOf(result.error));
  return result.data;
}

export function parseProcessOptions(input: unknown): ProcessOptions {
  const result = z.object({ concurrency: positiveInt.max(1000) }).safeParse(input);
  if (!result.success) throw fail('QUEUE_INVALID_ARGUMENT', 'invalid process options', issuesOf(result.error));
  return result.data;
}

export const DEFAULT_CLOSE: CloseOptions = { drain: true, timeoutMs: 30_000 };

export function parseCloseOptions(input: unknown): CloseOptions {
  if (input === undefined) return DEFAULT_CLOSE;
  const result = z.object({ drain: z.boolean(), timeoutMs: z.number().min(0) }).safeParse(input);
  if (!result.success) throw fail('QUEUE_INVALID_ARGUMENT', 'invalid close options', issuesOf(result.error));
  return result.data;
}

export function parseRetryPolicy(input: unknown, fallback: RetryPolicy): RetryPolicy {
  if (input === undefined) return fallback;
  const result = z
    .object({ maxAttempts: positiveInt, baseDelayMs: z.number().min(0), maxDelayMs: z.number().min(0) })
    .partial()
    .safeParse(input);
  if (!result.success) throw fail('QUEUE_INVALID_ARGUMENT', 'invalid retry policy', issuesOf(result.error));
  return { ...fallback, ...result.data };
}
