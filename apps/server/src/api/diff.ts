/**
 * Differences between two flow documents: which nodes and edges changed (by id, ignoring layout) and
 * a line diff of their canonical texts. Pure; the documents are small (hundreds of lines).
 */

export interface LineChange {
  op: 'equal' | 'add' | 'remove';
  text: string;
}

export interface NodeDiff {
  added: string[];
  removed: string[];
  changed: string[];
  moved: string[];
}

export interface FlowDiff {
  nodes: NodeDiff;
  edges: { added: string[]; removed: string[] };
  /** Top-level fields other than nodes, edges and layout whose value differs (name, trigger, settings…). */
  fields: string[];
  lines: LineChange[];
  stats: { added: number; removed: number };
}

const MAX_CELLS = 4_000_000;

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));

function asRecord(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function nodesById(doc: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const nodes = asRecord(doc)['nodes'];
  if (Array.isArray(nodes)) for (const n of nodes) {
    const id = asRecord(n)['id'];
    if (typeof id === 'string' && !out.has(id)) out.set(id, n);
  }
  return out;
}

function edgeKeys(doc: unknown): Set<string> {
  const edges = asRecord(doc)['edges'];
  const out = new Set<string>();
  if (Array.isArray(edges)) for (const e of edges) {
    const r = asRecord(e);
    out.add(`${String(r['from'])}${r['port'] && r['port'] !== 'out' ? `.${String(r['port'])}` : ''} -> ${String(r['to'])}`);
  }
  return out;
}

/** Longest-common-subsequence line diff after trimming the common head and tail. */
export function diffLines(a: string, b: string): LineChange[] {
  const x = a.split('\n');
  const y = b.split('\n');
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  const xm = x.slice(head, x.length - tail);
  const ym = y.slice(head, y.length - tail);
  const out: LineChange[] = x.slice(0, head).map((text) => ({ op: 'equal', text }));
  if (xm.length * ym.length > MAX_CELLS) {
    for (const text of xm) out.push({ op: 'remove', text });
    for (const text of ym) out.push({ op: 'add', text });
  } else {
    const n = xm.length;
    const m = ym.length;
    // lcs[i][j] = LCS length of xm[i..] and ym[j..], in one flat array.
    const lcs = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * (m + 1) + j] = xm[i] === ym[j] ? lcs[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(lcs[(i + 1) * (m + 1) + j]!, lcs[i * (m + 1) + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (xm[i] === ym[j]) {
        out.push({ op: 'equal', text: xm[i]! });
        i++;
        j++;
      } else if (lcs[(i + 1) * (m + 1) + j]! >= lcs[i * (m + 1) + j + 1]!) {
        out.push({ op: 'remove', text: xm[i++]! });
      } else {
        out.push({ op: 'add', text: ym[j++]! });
      }
    }
    while (i < n) out.push({ op: 'remove', text: xm[i++]! });
    while (j < m) out.push({ op: 'add', text: ym[j++]! });
  }
  for (const text of x.slice(x.length - tail)) out.push({ op: 'equal', text });
  return out;
}

export function diffFlows(input: { a: unknown; b: unknown; aText: string; bText: string }): FlowDiff {
  const an = nodesById(input.a);
  const bn = nodesById(input.b);
  const nodes: NodeDiff = { added: [], removed: [], changed: [], moved: [] };
  for (const id of bn.keys()) if (!an.has(id)) nodes.added.push(id);
  for (const [id, node] of an) {
    if (!bn.has(id)) nodes.removed.push(id);
    else if (!same(node, bn.get(id))) nodes.changed.push(id);
  }
  const al = asRecord(asRecord(input.a)['layout']);
  const bl = asRecord(asRecord(input.b)['layout']);
  for (const id of bn.keys()) if (an.has(id) && id in al && id in bl && !same(al[id], bl[id])) nodes.moved.push(id);
  const ae = edgeKeys(input.a);
  const be = edgeKeys(input.b);
  const fields: string[] = [];
  const keys = new Set([...Object.keys(asRecord(input.a)), ...Object.keys(asRecord(input.b))]);
  for (const k of keys) if (k !== 'nodes' && k !== 'edges' && k !== 'layout' && !same(asRecord(input.a)[k], asRecord(input.b)[k])) fields.push(k);
  const lines = diffLines(input.aText, input.bText);
  return {
    nodes,
    edges: { added: [...be].filter((e) => !ae.has(e)), removed: [...ae].filter((e) => !be.has(e)) },
    fields: fields.sort(),
    lines,
    stats: { added: lines.filter((l) => l.op === 'add').length, removed: lines.filter((l) => l.op === 'remove').length },
  };
}
