import { flowDocumentSchema, isExpressionValue, type FlowDocument, type FlowDocumentInput, type Position } from './schema.ts';
import { compareKeys, isPlainObject } from './util.ts';

/** Canvas positions by node id. */
export type FlowLayout = Record<string, Position>;

const TOP_KEYS = ['schemaVersion', 'id', 'name', 'description', 'trigger', 'nodes', 'edges', 'settings', 'layout'];
const NODE_KEYS = ['id', 'type', 'name', 'description', 'config', 'retry', 'onError', 'limits', 'disabled'];
const EDGE_KEYS = ['from', 'port', 'to'];
const SETTINGS_KEYS = ['priority', 'concurrency', 'timeoutMs'];
const RETRY_KEYS = ['attempts', 'backoff', 'initialDelayMs', 'maxDelayMs'];
const LIMITS_KEYS = ['timeoutMs', 'memoryMb', 'outputBytes'];
const INDENT = '  ';

export interface SerializeFlowOptions {
  /** Write `layout` (default true). Without it the text holds only what the flow does, e.g. to compare two versions. */
  layout?: boolean;
}

/**
 * The canonical text of a flow, the form to store and to commit to git:
 * - top-level keys in the order schemaVersion, id, name, description, trigger, nodes, edges,
 *   settings, layout; node keys id, type, name, description, config, retry, onError, limits, disabled;
 *   config keys (and every object inside config) sorted; arrays keep their order;
 * - defaults filled in as parseFlow would, so saving a parsed flow never adds or drops a line;
 * - two-space indent, one line per edge and per `{ "$expr": … }` value, layout last with one line per node, sorted by node id,
 *   positions rounded to whole pixels; a trailing newline.
 *
 * `serializeFlow(parseFlow(serializeFlow(x)).flow) === serializeFlow(x)`, and moving a node on the
 * canvas changes only its layout line. A document that does not pass the schema is written as it
 * is, in the same key order, so a broken draft can still be saved and fixed later.
 */
export function serializeFlow(doc: FlowDocument | FlowDocumentInput, options: SerializeFlowOptions = {}): string {
  const parsed = flowDocumentSchema.safeParse(doc);
  const source: unknown = parsed.success ? parsed.data : doc;
  if (!isPlainObject(source)) return `${JSON.stringify(source) ?? 'null'}\n`;
  const lines: string[] = [];
  const keys = ordered(source, TOP_KEYS).filter((k) => k !== 'layout' && source[k] !== undefined);
  if (options.layout !== false && source['layout'] !== undefined) keys.push('layout');
  keys.forEach((key, i) => {
    const comma = i < keys.length - 1 ? ',' : '';
    lines.push(`${INDENT}${JSON.stringify(key)}: ${topValue(key, source[key])}${comma}`);
  });
  return lines.length === 0 ? '{}\n' : `{\n${lines.join('\n')}\n}\n`;
}

function topValue(key: string, value: unknown): string {
  switch (key) {
    case 'nodes':
      return list(value, (node) => pretty(canonicalNode(node), 2));
    case 'edges':
      return list(value, (edge) => inline(isPlainObject(edge) ? pick(edge, EDGE_KEYS) : edge, 2));
    case 'settings':
      return pretty(isPlainObject(value) ? pick(value, SETTINGS_KEYS) : value, 1);
    case 'layout':
      return layoutText(value);
    default:
      return pretty(sortDeep(value), 1);
  }
}

function list(value: unknown, item: (v: unknown) => string): string {
  if (!Array.isArray(value)) return pretty(sortDeep(value), 1);
  if (value.length === 0) return '[]';
  const pad = INDENT.repeat(2);
  return `[\n${value.map((v: unknown) => `${pad}${item(v)}`).join(',\n')}\n${INDENT}]`;
}

function layoutText(value: unknown): string {
  if (!isPlainObject(value)) return pretty(sortDeep(value), 1);
  const ids = Object.keys(value).sort(compareKeys);
  if (ids.length === 0) return '{}';
  const pad = INDENT.repeat(2);
  const lines = ids.map((id) => `${pad}${JSON.stringify(id)}: ${inline(roundPosition(value[id]), 2)}`);
  return `{\n${lines.join(',\n')}\n${INDENT}}`;
}

function roundPosition(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const out = pick(value, ['x', 'y']);
  for (const axis of ['x', 'y']) {
    const n = out[axis];
    // `+ 0` turns -0 into 0 so a node dragged to -0.3 does not write "-0".
    if (typeof n === 'number' && Number.isFinite(n)) out[axis] = Math.round(n) + 0;
  }
  return out;
}

function canonicalNode(node: unknown): unknown {
  if (!isPlainObject(node)) return sortDeep(node);
  const out = pick(node, NODE_KEYS);
  if (out['config'] !== undefined) out['config'] = sortDeep(out['config']);
  if (isPlainObject(out['retry'])) out['retry'] = pick(out['retry'], RETRY_KEYS);
  if (isPlainObject(out['limits'])) out['limits'] = pick(out['limits'], LIMITS_KEYS);
  return out;
}

/** Keys in the given order, then any others sorted; nested values are sorted unless listed. */
function pick(obj: Record<string, unknown>, order: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ordered(obj, order)) out[key] = order.includes(key) ? obj[key] : sortDeep(obj[key]);
  return out;
}

function ordered(obj: Record<string, unknown>, order: readonly string[]): string[] {
  const known = order.filter((k) => Object.prototype.hasOwnProperty.call(obj, k));
  const rest = Object.keys(obj)
    .filter((k) => !order.includes(k))
    .sort(compareKeys);
  return [...known, ...rest];
}

/** Objects with their keys sorted, recursively; arrays keep their order. */
export function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(compareKeys)) out[key] = sortDeep(value[key]);
  return out;
}

/**
 * Pretty JSON (two-space indent) for a value sitting at `depth`. `{ "$expr": … }` stays on one
 * line: an expression is one value, and editing it should change one line.
 */
function pretty(value: unknown, depth: number): string {
  if (isExpressionValue(value)) return inline(value, depth);
  const pad = INDENT.repeat(depth + 1);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    // JSON.stringify writes holes and undefined in arrays as null; so do we.
    const items = value.map((v: unknown) => `${pad}${pretty(v === undefined ? null : v, depth + 1)}`);
    return `[\n${items.join(',\n')}\n${INDENT.repeat(depth)}]`;
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${pretty(v, depth + 1)}`);
    return `{\n${lines.join(',\n')}\n${INDENT.repeat(depth)}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** `{ "from": "a", "to": "b" }` on one line when every value is a primitive; pretty otherwise. */
function inline(value: unknown, depth: number): string {
  if (!isPlainObject(value)) return pretty(value, depth);
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.some(([, v]) => typeof v === 'object' && v !== null)) return pretty(value, depth);
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v) ?? 'null'}`).join(', ')} }`;
}

/** The flow without its positions, and the positions: stored apart so moving a node never changes what a flow does. */
export function splitLayout(doc: FlowDocument): { flow: FlowDocument; layout: FlowLayout } {
  return { flow: { ...doc, layout: {} }, layout: { ...doc.layout } };
}

/** Puts positions back on a flow; positions given here win over ones the flow already has. */
export function mergeLayout(doc: FlowDocument, layout: Readonly<FlowLayout>): FlowDocument {
  return { ...doc, layout: { ...doc.layout, ...layout } };
}
