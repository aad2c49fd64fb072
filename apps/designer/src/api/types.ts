import { z } from 'zod';
import type { NodeTypeSpec, PropSpec } from '@tributary/flow';

/**
 * Shapes of the server's JSON, parsed at the boundary. Objects are loose (extra fields pass through)
 * so the designer keeps working when the server adds a field; fields the UI relies on are checked.
 */

const id = z.union([z.string(), z.number()]).transform(String);
const optionalString = z.string().nullish().transform((v) => v ?? undefined);

export const roleSchema = z.enum(['admin', 'analyst', 'viewer']);
export type Role = z.infer<typeof roleSchema>;

export const userSchema = z.looseObject({
  id,
  email: z.string(),
  name: z.string().nullish().transform((v) => v ?? ''),
  role: roleSchema,
  disabled: z.boolean().optional(),
});
export type User = z.infer<typeof userSchema>;

export const sessionSchema = z.looseObject({ user: userSchema, csrfToken: z.string().nullish().transform((v) => v ?? null) });
export type Session = z.infer<typeof sessionSchema>;

const propOptionSchema = z.looseObject({ value: z.union([z.string(), z.number(), z.boolean()]), label: z.string() });

export const propSpecSchema: z.ZodType<PropSpec> = z.lazy(() =>
  z.object({
    type: z.enum(['string', 'text', 'number', 'integer', 'boolean', 'select', 'multiselect', 'json', 'object', 'array', 'connection', 'jsonata', 'mapping', 'code', 'cron', 'timezone']),
    label: z.string(),
    description: z.string().optional(),
    required: z.boolean().optional(),
    default: z.unknown().optional(),
    placeholder: z.string().optional(),
    options: z.array(propOptionSchema).optional(),
    dynamicOptions: z.object({ action: z.string() }).optional(),
    connector: z.string().optional(),
    allowExpression: z.boolean().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    items: propSpecSchema.optional(),
    properties: z.record(z.string(), propSpecSchema).optional(),
    advanced: z.boolean().optional(),
  }),
);

export const nodeTypeSpecSchema: z.ZodType<NodeTypeSpec> = z.object({
  type: z.string(),
  connector: z.string(),
  kind: z.enum(['trigger', 'action', 'logic']),
  label: z.string(),
  description: z.string().default(''),
  group: z.string(),
  outputs: z.array(z.string()).default(['out']),
  outputsFrom: z.string().optional(),
  props: z.record(z.string(), propSpecSchema).default({}),
  runsIn: z.enum(['isolate', 'host']).default('host'),
  sampleOutput: z.unknown().optional(),
  trigger: z
    .object({ source: z.enum(['webhook', 'schedule', 'poll', 'manual']), signature: z.enum(['shopify-hmac', 'hmac-sha256', 'none']).optional() })
    .optional(),
  icon: z.string().optional(),
  docsUrl: z.string().optional(),
}) as unknown as z.ZodType<NodeTypeSpec>;

export const catalogSchema = z.looseObject({ nodeTypes: z.array(nodeTypeSpecSchema) });

const rev = z.union([z.number(), z.string()]);
export type Rev = z.infer<typeof rev>;

export const flowSummarySchema = z.looseObject({
  id,
  name: z.string(),
  enabled: z.boolean().default(false),
  currentVersion: z.number().nullish().transform((v) => v ?? null),
  rev: rev.optional(),
  updatedAt: optionalString,
});
export type FlowSummary = z.infer<typeof flowSummarySchema>;

export const flowRecordSchema = z.looseObject({
  id,
  name: z.string().optional(),
  /** Parsed by the editor with migrateFlow: a stored draft may be of an older format or not yet valid. */
  draft: z.unknown(),
  rev,
  enabled: z.boolean().default(false),
  currentVersion: z.number().nullish().transform((v) => v ?? null),
  updatedAt: optionalString,
});
export type FlowRecord = z.infer<typeof flowRecordSchema>;

export const serverIssueSchema = z.looseObject({
  code: z.string(),
  nodeId: z.string().nullish().transform((v) => v ?? undefined),
  path: z.union([z.string(), z.array(z.union([z.string(), z.number()]))]).optional(),
  message: z.string(),
  severity: z.enum(['error', 'warning', 'info']).optional(),
});
export type ServerIssue = z.infer<typeof serverIssueSchema>;

export const versionSummarySchema = z.looseObject({
  version: z.number(),
  note: optionalString,
  createdAt: optionalString,
  publishedAt: optionalString,
  /** A user id, `cli`, or none; show `publishedByName` instead (see `actorLabel`). */
  publishedBy: optionalString,
  /** The publisher's name (or e-mail); absent when `publishedBy` names no user. */
  publishedByName: optionalString,
});
export type VersionSummary = z.infer<typeof versionSummarySchema>;

export const stepSchema = z.looseObject({
  nodeId: z.string(),
  status: z.string(),
  attempt: z.number().optional(),
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  error: z.unknown().optional(),
  durationMs: z.number().nullish().transform((v) => v ?? undefined),
  startedAt: optionalString,
  logs: z.array(z.unknown()).nullish().transform((v) => v ?? []),
  /** Large bodies are stored apart; the step then carries a text preview instead. */
  inputTruncated: z.boolean().optional(),
  outputTruncated: z.boolean().optional(),
  inputPreview: optionalString,
  outputPreview: optionalString,
});
export type Step = z.infer<typeof stepSchema>;

export const runSummarySchema = z.looseObject({
  id,
  flowId: z.union([z.string(), z.number()]).nullish().transform((v) => (v == null ? undefined : String(v))),
  flowName: optionalString,
  status: z.string(),
  version: z.union([z.number(), z.string()]).nullish().transform((v) => v ?? undefined),
  startedAt: optionalString,
  finishedAt: optionalString,
  createdAt: optionalString,
  durationMs: z.number().nullish().transform((v) => v ?? undefined),
  error: z.unknown().optional(),
  trigger: z.unknown().optional(),
  /** The run this one replays, and the step it started from (absent: not a replay / from the beginning). */
  replayOf: optionalString,
  replayFromNode: optionalString,
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const runDetailSchema = runSummarySchema.extend({ steps: z.array(stepSchema).default([]) });
export type RunDetail = z.infer<typeof runDetailSchema>;

export const runListSchema = z.looseObject({ items: z.array(runSummarySchema), nextCursor: z.string().nullish().transform((v) => v ?? null) });

export const failureSchema = runSummarySchema.extend({
  runId: z.union([z.string(), z.number()]).nullish().transform((v) => (v == null ? undefined : String(v))),
  nodeId: optionalString,
  failedNode: optionalString,
});
export type Failure = z.infer<typeof failureSchema>;

export const connectionSchema = z.looseObject({
  id,
  name: z.string(),
  connector: z.string(),
  config: z.record(z.string(), z.unknown()).default({}),
  secretFields: z.array(z.string()).default([]),
  hasSecret: z.union([z.boolean(), z.record(z.string(), z.boolean())]).default(false),
  status: optionalString,
  updatedAt: optionalString,
});
export type Connection = z.infer<typeof connectionSchema>;

export const kpisSchema = z.looseObject({
  orderProcessing: z.looseObject({
    p50: z.number().nullable().default(null),
    p95: z.number().nullable().default(null),
    series: z.array(z.looseObject({ t: z.union([z.string(), z.number()]), p50: z.number().nullable(), p95: z.number().nullable() })).default([]),
  }),
  syncSuccessRate: z.union([z.number(), z.looseObject({ value: z.number().nullable().optional(), series: z.array(z.looseObject({ t: z.union([z.string(), z.number()]), value: z.number().nullable() })).optional() })]).nullable().default(null),
  failuresByCode: z.array(z.looseObject({ code: z.string(), count: z.number() })).default([]),
  connections: z
    .array(z.looseObject({ id, name: z.string(), status: z.string().default('unknown'), errorRate: z.number().nullable().default(null), lastError: z.unknown().optional() }))
    .default([]),
});
export type Kpis = z.infer<typeof kpisSchema>;

export const auditEntrySchema = z.looseObject({
  id: id.optional(),
  at: optionalString,
  createdAt: optionalString,
  /** A user id, `cli`, `system` or `anonymous`; show `actorName` instead (see `actorLabel`). */
  actor: optionalString,
  /** The actor's name (or e-mail); absent when `actor` names no user. */
  actorName: optionalString,
  actorEmail: optionalString,
  targetType: optionalString,
  action: z.string(),
  target: z.unknown().optional(),
  targetId: z.unknown().optional(),
  details: z.unknown().optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const connectorInfoSchema = z.looseObject({
  id: z.string(),
  label: z.string().default(''),
  description: z.string().default(''),
  auth: z
    .looseObject({ kind: z.string(), props: z.record(z.string(), propSpecSchema).default({}), secrets: z.record(z.string(), propSpecSchema).default({}) })
    .nullish()
    .transform((v) => v ?? null),
});
export type ConnectorInfo = z.infer<typeof connectorInfoSchema>;

/** Answer of bulk operations: one result per run. */
export const bulkResultSchema = z.looseObject({
  results: z
    .array(z.looseObject({ runId: z.string(), ok: z.boolean(), newRunId: z.string().optional(), error: z.looseObject({ code: z.string(), message: z.string() }).optional() }))
    .default([]),
});
export type BulkResult = z.infer<typeof bulkResultSchema>;

/** `{ items: [...] }` or a bare array: both are accepted for list endpoints. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.union([z.array(item), z.looseObject({ items: z.array(item) })]).transform((v) => (Array.isArray(v) ? v : v.items));
}

export const errorBodySchema = z.object({
  error: z.looseObject({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
