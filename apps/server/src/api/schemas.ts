import { z } from 'zod';
import { RUN_STATUSES, USER_ROLES } from '@tributary/store';

/** Shared request and response schemas. Response schemas document what the API sends (dates as ISO text). */

export const flowIdSchema = z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/, 'flow id may contain only letters, digits, _ and -');
export const idSchema = z.string().min(1).max(200);
export const versionNumberSchema = z.coerce.number().int('version must be a whole number').min(1, 'versions start at 1');
export const roleSchema = z.enum(USER_ROLES);
export const runStatusSchema = z.enum(RUN_STATUSES);
export const emailSchema = z.string().trim().toLowerCase().email('must be an e-mail address').max(254);
export const isoDate = z.string().describe('ISO 8601 date-time');
const nullableDate = isoDate.nullable();

export const limitSchema = z.coerce.number().int().min(1).max(500).optional().describe('page size, 1–500 (default 50)');
export const cursorSchema = z.string().min(1).max(500).optional().describe('nextCursor of the previous page');
export const dateQuery = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date or date-time')
  .transform((s) => new Date(s));

export const runIdsBody = z.object({ runIds: z.array(idSchema).min(1, 'name at least one run').max(500) }).strict();

export const storedErrorOut = z.object({ code: z.string(), kind: z.enum(['user', 'transient', 'internal']), retryable: z.boolean(), message: z.string(), details: z.unknown().optional() });

export const userOut = z.object({ id: z.string(), email: z.string(), name: z.string(), role: roleSchema, disabled: z.boolean(), createdAt: isoDate, updatedAt: isoDate });

export const flowSummaryOut = z.object({ id: z.string(), name: z.string(), enabled: z.boolean(), currentVersion: z.number().int().nullable(), rev: z.number().int(), updatedAt: isoDate });
export const flowOut = flowSummaryOut.extend({ draft: z.unknown().describe('the flow document being edited (may not be valid yet)'), createdAt: isoDate, createdBy: z.string().nullable(), updatedBy: z.string().nullable() });

export const versionSummaryOut = z.object({
  flowId: z.string(),
  version: z.number().int(),
  publishedAt: isoDate,
  publishedBy: z.string().nullable().describe('user id, or "cli"; null for seeded versions'),
  publishedByName: z.string().nullable().describe('the publisher\'s name, or their e-mail while they have none; null when publishedBy names no user (not a user, or one that is gone)'),
  note: z.string().nullable(),
});

export const issueOut = z.looseObject({ code: z.string(), path: z.string(), message: z.string(), severity: z.enum(['error', 'warning']).optional(), nodeId: z.string().optional() });

export const runOut = z.object({
  id: z.string(),
  flowId: z.string(),
  flowName: z.string().nullable(),
  version: z.number().int().nullable(),
  status: runStatusSchema,
  triggerKind: z.string(),
  priority: z.number().int(),
  attempt: z.number().int(),
  error: storedErrorOut.nullable(),
  createdAt: isoDate,
  startedAt: nullableDate,
  finishedAt: nullableDate,
  durationMs: z.number().nullable(),
  replayOf: z.string().nullable(),
  replayFromNode: z.string().nullable(),
  test: z.boolean(),
});

export const stepOut = z.object({
  nodeId: z.string(),
  status: z.enum(['running', 'succeeded', 'failed', 'skipped', 'waiting']),
  attempt: z.number().int(),
  input: z.unknown(),
  output: z.unknown(),
  inputTruncated: z.boolean(),
  outputTruncated: z.boolean(),
  inputPreview: z.string().nullable(),
  outputPreview: z.string().nullable(),
  error: storedErrorOut.nullable(),
  logs: z.array(z.unknown()),
  startedAt: nullableDate,
  finishedAt: nullableDate,
  durationMs: z.number().nullable(),
});

export const runDetailOut = runOut.extend({ trigger: z.unknown(), steps: z.array(stepOut) });

export const connectionOut = z.object({
  id: z.string(),
  name: z.string(),
  connector: z.string(),
  config: z.record(z.string(), z.unknown()),
  secretFields: z.array(z.string()).describe('names of the write-only secret fields this connector takes'),
  hasSecret: z.boolean().describe('whether secrets are stored; their values are never returned'),
  createdAt: isoDate,
  updatedAt: isoDate,
  createdBy: z.string().nullable(),
  updatedBy: z.string().nullable(),
});

export const tokenOut = z.object({ id: z.string(), name: z.string(), createdAt: isoDate, lastUsedAt: nullableDate, revokedAt: nullableDate });

export const auditOut = z.object({
  id: z.string(),
  at: isoDate,
  actor: z.string().describe('user id, "cli", "system" or "anonymous"'),
  actorName: z.string().nullable().describe('the user\'s name, or their e-mail while they have none; null when actor names no user (not a user, or one that is gone)'),
  actorEmail: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  details: z.unknown(),
  ip: z.string().nullable(),
});

export const sessionOut = z.object({ user: userOut, csrfToken: z.string().nullable().describe('send as x-csrf-token on writes; null for API tokens'), session: z.object({ id: z.string(), expiresAt: isoDate }).nullable() });

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) });
}

export const bulkResultOut = z.object({ results: z.array(z.object({ runId: z.string(), ok: z.boolean(), newRunId: z.string().optional(), error: z.object({ code: z.string(), message: z.string() }).optional() })) });

export const nodeIdOrNull = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'must be a node id')
  .max(64)
  .optional();
