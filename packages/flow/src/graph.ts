import { FlowError } from './errors.ts';
import { DEFAULT_PORT, type FlowEdge } from './schema.ts';

/**
 * The part of a flow the graph utilities read. A FlowDocument fits, and so does a FlowDocumentInput
 * (edges may be left out). Edges naming a node that does not exist are ignored; when two nodes
 * share an id, the first one counts.
 */
export interface FlowGraphInput {
  readonly nodes: ReadonlyArray<{ readonly id: string }>;
  readonly edges?: ReadonlyArray<FlowEdge> | undefined;
}

/** The output port an edge leaves from: its `port`, or `out` when omitted. */
export function edgePort(edge: Pick<FlowEdge, 'port'>): string {
  return edge.port ?? DEFAULT_PORT;
}

interface Graph {
  /** Node ids in document order, each once. */
  ids: string[];
  index: Map<string, number>;
  succ: Map<string, string[]>;
  pred: Map<string, string[]>;
}

function buildGraph(doc: FlowGraphInput): Graph {
  const ids: string[] = [];
  const index = new Map<string, number>();
  for (const n of doc.nodes) {
    if (index.has(n.id)) continue;
    index.set(n.id, ids.length);
    ids.push(n.id);
  }
  const succ = new Map<string, string[]>(ids.map((id) => [id, []]));
  const pred = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of doc.edges ?? []) {
    const out = succ.get(e.from);
    const into = pred.get(e.to);
    if (!out || !into) continue;
    // Two edges between the same nodes (different ports) are one dependency.
    if (!out.includes(e.to)) out.push(e.to);
    if (!into.includes(e.from)) into.push(e.from);
  }
  return { ids, index, succ, pred };
}

function walk(start: readonly string[], next: Map<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const n of next.get(id) ?? []) if (!seen.has(n)) stack.push(n);
  }
  return seen;
}

function inDocumentOrder(g: Graph, set: Set<string>): string[] {
  return g.ids.filter((id) => set.has(id));
}

/** Edges arriving at a node, in document order. */
export function incomingEdges(doc: FlowGraphInput, nodeId: string): FlowEdge[] {
  return (doc.edges ?? []).filter((e) => e.to === nodeId);
}

/** Edges leaving a node, in document order; with `port`, only those leaving from that port (`out` matches an omitted port). */
export function outgoingEdges(doc: FlowGraphInput, nodeId: string, port?: string): FlowEdge[] {
  return (doc.edges ?? []).filter((e) => e.from === nodeId && (port === undefined || edgePort(e) === port));
}

/** The node and every node it leads to, in document order. Empty when the node does not exist. */
export function reachableFrom(doc: FlowGraphInput, nodeId: string): string[] {
  const g = buildGraph(doc);
  if (!g.index.has(nodeId)) return [];
  return inDocumentOrder(g, walk([nodeId], g.succ));
}

/** Every node whose output can reach this node, directly or not, in document order (the node itself excluded). */
export function upstream(doc: FlowGraphInput, nodeId: string): string[] {
  const g = buildGraph(doc);
  if (!g.index.has(nodeId)) return [];
  const seen = walk(g.pred.get(nodeId) ?? [], g.pred);
  seen.delete(nodeId);
  return inDocumentOrder(g, seen);
}

/** Every node this node's output can reach, directly or not, in document order (the node itself excluded). */
export function downstream(doc: FlowGraphInput, nodeId: string): string[] {
  const g = buildGraph(doc);
  if (!g.index.has(nodeId)) return [];
  const seen = walk(g.succ.get(nodeId) ?? [], g.succ);
  seen.delete(nodeId);
  return inDocumentOrder(g, seen);
}

/**
 * The cycles of a flow: one per strongly connected component that loops (a self-edge counts),
 * each as the node ids around it in edge order, starting at the component's first node in the
 * document. Empty for an acyclic flow. Components come in document order of their first node.
 */
export function findCycles(doc: FlowGraphInput): string[][] {
  const g = buildGraph(doc);
  const cycles: string[][] = [];
  for (const component of stronglyConnected(g)) {
    const first = component[0] as string;
    if (component.length === 1 && !(g.succ.get(first) ?? []).includes(first)) continue;
    cycles.push(cycleThrough(g, first, new Set(component)));
  }
  return cycles.sort((a, b) => (g.index.get(a[0] as string) ?? 0) - (g.index.get(b[0] as string) ?? 0));
}

/**
 * Node ids in an order where every node comes after all nodes with an edge into it. Stable: among
 * nodes that are ready at the same time, the one earlier in the document comes first, so an
 * unchanged flow always runs in the same order.
 * @throws FlowError FLOW_CYCLE (details.cycles) when the flow has a cycle.
 */
export function topologicalOrder(doc: FlowGraphInput): string[] {
  const g = buildGraph(doc);
  const waiting = new Map(g.ids.map((id) => [id, (g.pred.get(id) ?? []).length]));
  // Ready node indexes kept sorted; flows are small, so insertion into an array is fine.
  const ready: number[] = [];
  for (const [id, n] of waiting) if (n === 0) ready.push(g.index.get(id) as number);
  ready.sort((a, b) => a - b);
  const order: string[] = [];
  while (ready.length > 0) {
    const id = g.ids[ready.shift() as number] as string;
    order.push(id);
    for (const next of g.succ.get(id) ?? []) {
      const left = (waiting.get(next) ?? 0) - 1;
      waiting.set(next, left);
      if (left === 0) insertSorted(ready, g.index.get(next) as number);
    }
  }
  if (order.length < g.ids.length) {
    const cycles = findCycles(doc);
    const names = cycles.map((c) => [...c, c[0]].join(' → ')).join('; ');
    throw new FlowError('FLOW_CYCLE', `the flow has no execution order because it has a cycle: ${names}`, { details: { cycles } });
  }
  return order;
}

function insertSorted(list: number[], value: number): void {
  let i = list.length;
  while (i > 0 && (list[i - 1] as number) > value) i -= 1;
  list.splice(i, 0, value);
}

/** Tarjan's algorithm, iterative so deep flows cannot overflow the stack. Members of each component in document order. */
function stronglyConnected(g: Graph): string[][] {
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of g.ids) {
    if (indexOf.has(root)) continue;
    const frames: Array<{ id: string; next: number }> = [{ id: root, next: 0 }];
    indexOf.set(root, counter);
    low.set(root, counter);
    counter += 1;
    stack.push(root);
    onStack.add(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as { id: string; next: number };
      const succ = g.succ.get(frame.id) ?? [];
      if (frame.next < succ.length) {
        const w = succ[frame.next] as string;
        frame.next += 1;
        if (!indexOf.has(w)) {
          indexOf.set(w, counter);
          low.set(w, counter);
          counter += 1;
          stack.push(w);
          onStack.add(w);
          frames.push({ id: w, next: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.id, Math.min(low.get(frame.id) as number, indexOf.get(w) as number));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id) as number, low.get(frame.id) as number));
      if (low.get(frame.id) === indexOf.get(frame.id)) {
        const members: string[] = [];
        let w: string;
        do {
          w = stack.pop() as string;
          onStack.delete(w);
          members.push(w);
        } while (w !== frame.id);
        // Sorting the members (not filtering all ids) keeps this linear over many one-node components.
        components.push(members.sort((a, b) => (g.index.get(a) as number) - (g.index.get(b) as number)));
      }
    }
  }
  return components;
}

/** A shortest path from `start` back to itself inside one component (breadth-first, successors in edge order). */
function cycleThrough(g: Graph, start: string, members: Set<string>): string[] {
  const parent = new Map<string, string>();
  const queue: string[] = [start];
  const seen = new Set<string>([start]);
  for (let head = 0; head < queue.length; head += 1) {
    const id = queue[head] as string;
    for (const next of g.succ.get(id) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [id];
        let at = id;
        while (at !== start) {
          at = parent.get(at) as string;
          path.push(at);
        }
        return path.reverse();
      }
      if (seen.has(next)) continue;
      seen.add(next);
      parent.set(next, id);
      queue.push(next);
    }
  }
  return [start];
}
