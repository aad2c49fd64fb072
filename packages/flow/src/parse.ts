import type { z } from 'zod';
import type { FlowIssue } from './errors.ts';
import { formatIssuePath, type PathSegment } from './path.ts';
import { CURRENT_SCHEMA_VERSION, flowDocumentSchema, type FlowDocument } from './schema.ts';
import { isPlainObject } from './util.ts';

export type ParseFlowResult = { ok: true; flow: FlowDocument } | { ok: false; issues: FlowIssue[] };

/**
 * Parses a flow document of the current format: a JSON value, or JSON text. Fills defaults
 * (edges, settings, layout, config). Every schema problem comes back as a FLOW_SCHEMA issue with
 * its path; a document of another format version gives one FLOW_UNSUPPORTED_VERSION issue instead.
 * It checks the format only — use validateFlow for node types, config, edges and the graph.
 */
export function parseFlow(json: unknown): ParseFlowResult {
  const read = readJson(json);
  if (!read.ok) return read;
  const value = read.value;
  if (!isPlainObject(value)) return { ok: false, issues: [notAnObject(value)] };
  const version = versionIssue(value['schemaVersion']);
  if (version) return { ok: false, issues: [version] };
  const result = flowDocumentSchema.safeParse(value);
  if (result.success) return { ok: true, flow: result.data };
  return { ok: false, issues: zodIssuesToFlowIssues(result.error.issues, value) };
}

/** JSON text is parsed first; any other value is taken as already-parsed JSON. */
export function readJson(json: unknown): { ok: true; value: unknown } | { ok: false; issues: FlowIssue[] } {
  if (typeof json !== 'string') return { ok: true, value: json };
  try {
    return { ok: true, value: JSON.parse(json) as unknown };
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return { ok: false, issues: [{ code: 'FLOW_SCHEMA', path: '', severity: 'error', message: `the flow is not valid JSON: ${detail}` }] };
  }
}

export function notAnObject(value: unknown): FlowIssue {
  return { code: 'FLOW_SCHEMA', path: '', severity: 'error', message: `a flow document must be a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}` };
}

/** FLOW_UNSUPPORTED_VERSION for a numeric schemaVersion this build does not read; anything else is left to the schema. */
export function versionIssue(version: unknown): FlowIssue | undefined {
  if (typeof version !== 'number' || !Number.isInteger(version) || version === CURRENT_SCHEMA_VERSION) return undefined;
  const message =
    version < CURRENT_SCHEMA_VERSION
      ? `this flow uses format version ${version}; this build reads version ${CURRENT_SCHEMA_VERSION}: run migrateFlow to upgrade it first`
      : `this flow was saved by a newer Tributary (format version ${version}); this build reads up to version ${CURRENT_SCHEMA_VERSION}`;
  return { code: 'FLOW_UNSUPPORTED_VERSION', path: 'schemaVersion', severity: 'error', message };
}

/**
 * Maps zod issues to FLOW_SCHEMA issues. `root` is the raw document, used to name the node an
 * issue is in. An unknown key gets its own issue whose path ends in that key.
 */
export function zodIssuesToFlowIssues(issues: ReadonlyArray<z.core.$ZodIssue>, root: unknown): FlowIssue[] {
  const out: FlowIssue[] = [];
  for (const issue of issues) {
    const base = issue.path.filter((p): p is PathSegment => typeof p === 'string' || typeof p === 'number');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(schemaIssue([...base, key], `unknown key "${key}"; it is not part of the flow format`, root));
    } else {
      out.push(schemaIssue(base, issue.message, root));
    }
  }
  return out;
}

function schemaIssue(segments: PathSegment[], detail: string, root: unknown): FlowIssue {
  const path = formatIssuePath(segments);
  const issue: FlowIssue = { code: 'FLOW_SCHEMA', path, severity: 'error', message: path === '' ? detail : `${path}: ${detail}` };
  const nodeId = nodeIdAt(segments, root);
  if (nodeId !== undefined) issue.nodeId = nodeId;
  if (segments[0] === 'edges' && typeof segments[1] === 'number') issue.edgeIndex = segments[1];
  return issue;
}

function nodeIdAt(segments: PathSegment[], root: unknown): string | undefined {
  if (segments[0] !== 'nodes' || typeof segments[1] !== 'number' || !isPlainObject(root)) return undefined;
  const nodes = root['nodes'];
  if (!Array.isArray(nodes)) return undefined;
  const node: unknown = nodes[segments[1]];
  if (!isPlainObject(node)) return undefined;
  const id = node['id'];
  return typeof id === 'string' && id !== '' ? id : undefined;
}
