import { z } from 'zod';

/** The flow document format this build writes. Older documents are upgraded by `migrateFlow`. */
export const CURRENT_SCHEMA_VERSION = 1;

/** Node ids: stable, human-readable, unique within a flow; references, replays and results key on them. */
export const nodeIdSchema = z
  .string()
  .min(1, 'node id must not be empty')
  .max(64, 'node id must be at most 64 characters')
  .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'node id must start with a letter or _ and contain only letters, digits, _ and -');

/** A config value that is computed at run time: JSONata evaluated against `{ $trigger, $steps, $vars, $execution }`. */
export const expressionValueSchema = z.object({ $expr: z.string() }).strict();

export const retryPolicySchema = z
  .object({
    attempts: z.number().int().min(1).max(50).describe('total attempts including the first'),
    backoff: z.enum(['exponential', 'fixed']).default('exponential'),
    initialDelayMs: z.number().int().min(0).max(86_400_000).default(1000),
    maxDelayMs: z.number().int().min(0).max(86_400_000).default(3_600_000),
  })
  .strict();

export const nodeLimitsSchema = z
  .object({
    timeoutMs: z.number().int().min(1).max(600_000).optional(),
    memoryMb: z.number().int().min(8).max(1024).optional(),
    outputBytes: z.number().int().min(1).max(64 * 1024 * 1024).optional(),
  })
  .strict();

export const flowNodeSchema = z
  .object({
    id: nodeIdSchema,
    type: z.string().min(1).regex(/^[a-z][a-zA-Z0-9-]*\.[a-zA-Z][a-zA-Z0-9]*$/, 'node type must look like "<connector>.<name>", e.g. "core.map"'),
    name: z.string().max(200).optional(),
    description: z.string().max(2000).optional(),
    config: z.record(z.string(), z.unknown()).default({}),
    retry: retryPolicySchema.optional(),
    /** What a permanent failure does: fail the run (default), follow the `error` port, or continue with a null output. */
    onError: z.enum(['fail', 'route', 'continue']).optional(),
    limits: nodeLimitsSchema.optional(),
    disabled: z.boolean().optional(),
  })
  .strict();

export const flowEdgeSchema = z
  .object({
    from: nodeIdSchema,
    /** Output port of `from`; omitted means the default port `out`. `error` carries a step's failure. */
    port: z.string().min(1).max(64).optional(),
    to: nodeIdSchema,
  })
  .strict();

export const flowSettingsSchema = z
  .object({
    priority: z.enum(['high', 'normal', 'low']).default('normal'),
    concurrency: z.number().int().min(1).max(1000).default(10),
    timeoutMs: z.number().int().min(1000).max(86_400_000).default(300_000),
  })
  .strict();

export const positionSchema = z.object({ x: z.number(), y: z.number() }).strict();

export const flowDocumentSchema = z
  .object({
    schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
    id: z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/, 'flow id may contain only letters, digits, _ and -'),
    name: z.string().min(1, 'flow name must not be empty').max(200),
    description: z.string().max(5000).optional(),
    trigger: nodeIdSchema,
    nodes: z.array(flowNodeSchema),
    edges: z.array(flowEdgeSchema).default([]),
    settings: flowSettingsSchema.default({ priority: 'normal', concurrency: 10, timeoutMs: 300_000 }),
    /** Canvas positions, kept apart from meaning so moving a node never changes what a flow does. */
    layout: z.record(z.string(), positionSchema).default({}),
  })
  .strict();

export type NodeId = z.infer<typeof nodeIdSchema>;
export type ExpressionValue = z.infer<typeof expressionValueSchema>;
export type RetryPolicy = z.infer<typeof retryPolicySchema>;
export type NodeLimits = z.infer<typeof nodeLimitsSchema>;
export type FlowNode = z.infer<typeof flowNodeSchema>;
export type FlowEdge = z.infer<typeof flowEdgeSchema>;
export type FlowSettings = z.infer<typeof flowSettingsSchema>;
export type Position = z.infer<typeof positionSchema>;
export type FlowDocument = z.infer<typeof flowDocumentSchema>;
/** What a caller may write: defaults (edges, settings, layout, config) may be left out. */
export type FlowDocumentInput = z.input<typeof flowDocumentSchema>;

export const DEFAULT_PORT = 'out';
export const ERROR_PORT = 'error';
/**
 * Names the run's trigger payload where a node id would name a step's output (a step's recorded input
 * source). Node ids cannot start with `$`, so it never collides with one.
 */
export const TRIGGER_INPUT = '$trigger';

/** True when a config value is `{ "$expr": "..." }`. */
export function isExpressionValue(value: unknown): value is ExpressionValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as { $expr?: unknown }).$expr === 'string';
}

/** JSON Schema (draft 2020-12) of the flow document, for editors and other tools. */
export function flowJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(flowDocumentSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
}
