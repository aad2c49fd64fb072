import { catalogGet, type ExpressionChecker, type NodeTypeCatalog, type NodeTypeSpec } from './catalog.ts';
import { FlowError, hasErrors, type FlowIssue, type FlowIssueCode } from './errors.ts';
import { findCycles, reachableFrom } from './graph.ts';
import { notAnObject, versionIssue, zodIssuesToFlowIssues } from './parse.ts';
import { formatIssuePath, type PathSegment } from './path.ts';
import { DEFAULT_PORT, ERROR_PORT, flowDocumentSchema, isExpressionValue, type FlowDocument, type FlowEdge } from './schema.ts';
import { checkExpressions, checkProps, type ConfigContext } from './validate-config.ts';
import { isPlainObject } from './util.ts';

export interface ValidateFlowOptions {
  /** Syntax check for JSONata (`$expr` values, `jsonata` and `mapping` props). Without it, expressions are not checked. */
  checkExpression?: ExpressionChecker;
}

/** A node as read leniently from a document that may not pass the schema. */
interface RawNode {
  index: number;
  id: string | undefined;
  type: string | undefined;
  spec: NodeTypeSpec | undefined;
  config: Record<string, unknown> | undefined;
  onError: unknown;
  disabled: boolean;
}

interface RawEdge {
  index: number;
  from: string | undefined;
  to: string | undefined;
  port: string;
  /** Whether the edge names its port (else it leaves from `out`). */
  portGiven: boolean;
}

/**
 * Checks a flow document against the format and a node-type catalog and returns every issue at
 * once, errors and warnings, in a stable order (document-level and schema issues, then nodes, the
 * trigger, edges, cycles, reachability, layout). The flow is valid when no issue is an error
 * (`hasErrors`). A document that does not pass the schema is still checked as far as its shape
 * allows: a node missing `type` still gets duplicate-id and edge checks. A document of another
 * format version gets only FLOW_UNSUPPORTED_VERSION, since its shape is not this one.
 */
export function validateFlow(doc: unknown, catalog: NodeTypeCatalog, options: ValidateFlowOptions = {}): FlowIssue[] {
  if (!isPlainObject(doc)) return [notAnObject(doc)];
  const version = versionIssue(doc['schemaVersion']);
  if (version) return [version];

  const issues: FlowIssue[] = [];
  const parsed = flowDocumentSchema.safeParse(doc);
  if (!parsed.success) issues.push(...zodIssuesToFlowIssues(parsed.error.issues, doc));

  const nodes = readNodes(doc['nodes'], catalog);
  const byId = new Map<string, RawNode>();
  for (const node of nodes) {
    if (node.id === undefined) continue;
    const first = byId.get(node.id);
    if (first) {
      add(issues, 'FLOW_DUPLICATE_NODE_ID', ['nodes', node.index, 'id'], `node id "${node.id}" is used by nodes[${first.index}] and nodes[${node.index}]; node ids must be unique`, { nodeId: node.id });
    } else byId.set(node.id, node);
  }

  for (const node of nodes) checkNode(node, issues, options.checkExpression);
  const entry = checkTrigger(doc['trigger'], nodes, byId, issues);
  const edges = readEdges(doc['edges']);
  checkEdges(edges, byId, issues);

  const graph = {
    nodes: [...byId.keys()].map((id) => ({ id })),
    edges: edges.filter((e) => e.from !== undefined && e.to !== undefined && byId.has(e.from) && byId.has(e.to)).map((e): FlowEdge => ({ from: e.from as string, to: e.to as string, port: e.port })),
  };
  for (const cycle of findCycles(graph)) {
    const first = cycle[0] as string;
    const last = cycle[cycle.length - 1] as string;
    const closing = edges.find((e) => e.from === last && e.to === first);
    const around = [...cycle, first].map((id) => `"${id}"`).join(' → ');
    add(issues, 'FLOW_CYCLE', closing ? ['edges', closing.index] : ['edges'], `nodes ${around} form a cycle; a flow must not loop back (use a for-each node to repeat work)`, {
      nodeId: first,
      cycle,
      ...(closing ? { edgeIndex: closing.index } : {}),
    });
  }

  if (entry !== undefined) {
    const reached = new Set(reachableFrom(graph, entry));
    for (const node of byId.values()) {
      if (reached.has(node.id as string) || node.spec?.kind === 'trigger') continue;
      add(issues, 'FLOW_UNREACHABLE_NODE', ['nodes', node.index], `node "${node.id}" is not connected to the trigger "${entry}", so it never runs`, {
        nodeId: node.id as string,
        // A disabled node is often parked on purpose; say so without blocking the flow.
        severity: node.disabled ? 'warning' : 'error',
      });
    }
  }

  const layout = doc['layout'];
  if (isPlainObject(layout)) {
    for (const key of Object.keys(layout)) {
      if (!byId.has(key)) add(issues, 'FLOW_LAYOUT_UNKNOWN_NODE', ['layout', key], `layout has a position for "${key}", which is not a node of this flow`, { severity: 'warning' });
    }
  }
  return issues;
}

/**
 * Validates and parses in one go: returns the parsed flow when there is no error-severity issue.
 * @throws FlowError FLOW_INVALID with `details.issues` (all issues, warnings included) otherwise.
 */
export function assertValidFlow(doc: unknown, catalog: NodeTypeCatalog, options: ValidateFlowOptions = {}): FlowDocument {
  const issues = validateFlow(doc, catalog, options);
  const parsed = flowDocumentSchema.safeParse(doc);
  if (!hasErrors(issues) && parsed.success) return parsed.data;
  const errors = issues.filter((i) => (i.severity ?? 'error') === 'error');
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  throw new FlowError('FLOW_INVALID', `the flow is not valid: ${first ? first.message : 'it does not match the flow format'}${more}`, { details: { issues } });
}

function readNodes(value: unknown, catalog: NodeTypeCatalog): RawNode[] {
  if (!Array.isArray(value)) return [];
  const out: RawNode[] = [];
  value.forEach((item: unknown, index) => {
    if (!isPlainObject(item)) return;
    const id = typeof item['id'] === 'string' && item['id'] !== '' ? item['id'] : undefined;
    const type = typeof item['type'] === 'string' && item['type'] !== '' ? item['type'] : undefined;
    const config = item['config'] === undefined ? {} : isPlainObject(item['config']) ? item['config'] : undefined;
    out.push({ index, id, type, spec: type === undefined ? undefined : catalogGet(catalog, type), config, onError: item['onError'], disabled: item['disabled'] === true });
  });
  return out;
}

function readEdges(value: unknown): RawEdge[] {
  if (!Array.isArray(value)) return [];
  const out: RawEdge[] = [];
  value.forEach((item: unknown, index) => {
    if (!isPlainObject(item)) return;
    const from = typeof item['from'] === 'string' ? item['from'] : undefined;
    const to = typeof item['to'] === 'string' ? item['to'] : undefined;
    const port = typeof item['port'] === 'string' ? item['port'] : DEFAULT_PORT;
    out.push({ index, from, to, port, portGiven: typeof item['port'] === 'string' });
  });
  return out;
}

function checkNode(node: RawNode, issues: FlowIssue[], checkExpression: ExpressionChecker | undefined): void {
  if (node.type !== undefined && !node.spec) {
    add(issues, 'FLOW_UNKNOWN_NODE_TYPE', ['nodes', node.index, 'type'], `node "${node.id ?? `#${node.index}`}" has type "${node.type}", which no installed connector provides`, { nodeId: node.id });
  }
  if (!node.config) return;
  const ctx: ConfigContext = { issues, nodeId: node.id, type: node.type ?? 'this node type', checkExpression };
  const path: PathSegment[] = ['nodes', node.index, 'config'];
  if (node.spec) checkProps(node.spec.props, node.config, path, ctx);
  checkExpressions(node.config, path, ctx);
}

/** Reports trigger problems and returns the node reachability starts from, if one can be told. */
function checkTrigger(declared: unknown, nodes: RawNode[], byId: Map<string, RawNode>, issues: FlowIssue[]): string | undefined {
  const triggers = [...byId.values()].filter((n) => n.spec?.kind === 'trigger');
  const named = typeof declared === 'string' ? byId.get(declared) : undefined;
  // An empty flow gets "the flow has no nodes" below; naming a trigger that is not there yet says nothing more.
  if (typeof declared === 'string' && declared !== '' && !named && nodes.length > 0) {
    add(issues, 'FLOW_TRIGGER_MISMATCH', ['trigger'], `"trigger" names "${declared}", but no node has that id${triggers[0] ? ` (the trigger node is "${triggers[0].id}")` : ''}`, {});
  } else if (named?.spec && named.spec.kind !== 'trigger') {
    add(issues, 'FLOW_TRIGGER_MISMATCH', ['trigger'], `"trigger" names "${named.id}", a ${named.spec.kind} node (${named.type}), not a trigger${triggers[0] ? `; the trigger node is "${triggers[0].id}"` : ''}`, { nodeId: named.id });
  }
  if (triggers.length === 0) {
    // A trigger whose type is unknown is already reported as such; "no trigger" would only repeat it.
    if (!(named && !named.spec) && nodes.length > 0) add(issues, 'FLOW_NO_TRIGGER', ['nodes'], 'the flow has no trigger node; add a webhook, schedule, poll or manual trigger to start it', {});
    else if (nodes.length === 0) add(issues, 'FLOW_NO_TRIGGER', ['nodes'], 'the flow has no nodes; it needs a trigger node to start', {});
  }
  const primary = triggers.find((t) => t === named) ?? triggers[0];
  if (triggers.length > 1) {
    const list = triggers.map((t) => `"${t.id}"`).join(', ');
    for (const t of triggers) {
      if (t === primary) continue;
      add(issues, 'FLOW_MULTIPLE_TRIGGERS', ['nodes', t.index], `the flow has ${triggers.length} trigger nodes (${list}); a flow has exactly one — remove "${t.id}" or move it to a flow of its own`, { nodeId: t.id });
    }
  }
  if (named && (!named.spec || named.spec.kind === 'trigger')) return named.id;
  return primary?.id;
}

function checkEdges(edges: RawEdge[], byId: Map<string, RawNode>, issues: FlowIssue[]): void {
  const seen = new Map<string, number>();
  for (const edge of edges) {
    const at: PathSegment[] = ['edges', edge.index];
    const extra = { edgeIndex: edge.index };
    for (const end of ['from', 'to'] as const) {
      const id = edge[end];
      if (id !== undefined && !byId.has(id)) {
        add(issues, 'FLOW_EDGE_UNKNOWN_NODE', [...at, end], `edge ${edge.index} ${end === 'from' ? 'comes from' : 'goes to'} "${id}", which is not a node of this flow`, extra);
      }
    }
    const from = edge.from === undefined ? undefined : byId.get(edge.from);
    if (from?.spec) {
      const problem = portProblem(from, edge.port);
      if (problem) add(issues, 'FLOW_EDGE_UNKNOWN_PORT', edge.portGiven ? [...at, 'port'] : at, `edge ${edge.index}: ${problem}`, { ...extra, nodeId: from.id });
    }
    const to = edge.to === undefined ? undefined : byId.get(edge.to);
    if (to?.spec?.kind === 'trigger') {
      add(issues, 'FLOW_EDGE_INTO_TRIGGER', [...at, 'to'], `edge ${edge.index} goes into the trigger "${to.id}"; nothing can lead into a trigger`, { ...extra, nodeId: to.id });
    }
    if (edge.from !== undefined && edge.to !== undefined) {
      const key = JSON.stringify([edge.from, edge.port, edge.to]);
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        add(issues, 'FLOW_DUPLICATE_EDGE', at, `edge ${edge.index} repeats edge ${earlier} ("${edge.from}" port "${edge.port}" → "${edge.to}")`, extra);
      } else seen.set(key, edge.index);
    }
  }
}

/** Why `port` is not an output of this node, or undefined when it is. */
function portProblem(node: RawNode, port: string): string | undefined {
  const spec = node.spec as NodeTypeSpec;
  if (port === ERROR_PORT && !spec.outputs.includes(ERROR_PORT)) {
    if (spec.kind === 'trigger') return `a trigger has no "${ERROR_PORT}" port`;
    if (node.onError !== 'route') return `"${node.id}" has an "${ERROR_PORT}" port only when its onError is "route"; set onError: "route" on it or remove the edge`;
    return undefined;
  }
  const ports = new Set(spec.outputs);
  if (spec.outputsFrom !== undefined) {
    const listed = node.config?.[spec.outputsFrom];
    // Ports computed at run time cannot be checked at design time.
    if (isExpressionValue(listed)) return undefined;
    for (const name of portNames(listed)) ports.add(name);
  }
  if (ports.has(port)) return undefined;
  const known = [...ports].map((p) => `"${p}"`).join(', ') || 'none';
  return `"${node.id}" (${spec.type}) has no output port "${port}"; its ports are ${known}`;
}

/** Port names from an `outputsFrom` config list: strings, or objects naming the port in `port` or `name`. */
export function portNames(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  const names: string[] = [];
  for (const item of list as unknown[]) {
    if (typeof item === 'string') names.push(item);
    else if (isPlainObject(item)) {
      const name = typeof item['port'] === 'string' ? item['port'] : item['name'];
      if (typeof name === 'string') names.push(name);
    }
  }
  return names;
}

interface Extra {
  nodeId?: string | undefined;
  edgeIndex?: number;
  cycle?: string[];
  severity?: 'error' | 'warning';
}

function add(issues: FlowIssue[], code: FlowIssueCode, segments: PathSegment[], message: string, extra: Extra): void {
  const issue: FlowIssue = { code, path: formatIssuePath(segments), message, severity: extra.severity ?? 'error' };
  if (extra.nodeId !== undefined) issue.nodeId = extra.nodeId;
  if (extra.edgeIndex !== undefined) issue.edgeIndex = extra.edgeIndex;
  if (extra.cycle !== undefined) issue.cycle = extra.cycle;
  issues.push(issue);
}
