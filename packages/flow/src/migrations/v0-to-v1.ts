import { z } from 'zod';
import type { FlowIssue } from '../errors.ts';
import { zodIssuesToFlowIssues } from '../parse.ts';
import type { FlowMigration, MigrationStepResult } from '../migrate.ts';

/**
 * Format version 0, the prototype's format (see README, "Format versions"):
 * - `nodes` was an object keyed by node id (in document order), each node carrying its canvas
 *   `position: { x, y }` and possibly a redundant `id`;
 * - `connections: [{ source, sourcePort?, target }]` instead of `edges`; the default port was
 *   called `main`;
 * - there was no `trigger`: a run started at the first node that no connection leads into.
 */
const v0NodeSchema = z
  .object({
    id: z.string().optional(),
    position: z.object({ x: z.number(), y: z.number() }).optional(),
  })
  .catchall(z.unknown());

const v0ConnectionSchema = z
  .object({
    source: z.string().min(1),
    sourcePort: z.string().min(1).optional(),
    target: z.string().min(1),
  })
  .strict();

const v0DocumentSchema = z
  .object({
    schemaVersion: z.literal(0),
    nodes: z.record(z.string(), v0NodeSchema),
    connections: z.array(v0ConnectionSchema).default([]),
  })
  .catchall(z.unknown());

const V0_DEFAULT_PORT = 'main';

function migrate(doc: Record<string, unknown>): MigrationStepResult {
  const parsed = v0DocumentSchema.safeParse(doc);
  if (!parsed.success) return { ok: false, issues: zodIssuesToFlowIssues(parsed.error.issues, doc) };
  const { schemaVersion: _version, nodes: nodeMap, connections, ...rest } = parsed.data;
  const ids = Object.keys(nodeMap);
  if (ids.length === 0) {
    const issue: FlowIssue = { code: 'FLOW_SCHEMA', path: 'nodes', severity: 'error', message: 'nodes: a version 0 flow without nodes has no trigger to migrate' };
    return { ok: false, issues: [issue] };
  }

  const nodes: Array<Record<string, unknown>> = [];
  const layout: Record<string, { x: number; y: number }> = {};
  for (const id of ids) {
    const { id: _innerId, position, ...node } = nodeMap[id] as z.infer<typeof v0NodeSchema>;
    // The map key was what connections referenced, so it wins over a stale inner `id`.
    nodes.push({ id, ...node });
    if (position) layout[id] = { x: position.x, y: position.y };
  }
  const edges = connections.map((c) => {
    const edge: Record<string, string> = { from: c.source };
    if (c.sourcePort !== undefined && c.sourcePort !== V0_DEFAULT_PORT) edge['port'] = c.sourcePort;
    edge['to'] = c.target;
    return edge;
  });
  const targets = new Set(connections.map((c) => c.target));
  const trigger = ids.find((id) => !targets.has(id)) ?? (ids[0] as string);

  return { ok: true, doc: { schemaVersion: 1, ...rest, trigger, nodes, edges, layout } };
}

export const v0ToV1: FlowMigration = {
  from: 0,
  to: 1,
  name: '0→1: nodes map to list, connections to edges, positions to layout, trigger named',
  migrate,
};
