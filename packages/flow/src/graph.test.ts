import { describe, expect, it } from 'vitest';
import { baseFlow } from '../test/fixtures.ts';
import { FlowError } from './errors.ts';
import { downstream, edgePort, findCycles, incomingEdges, outgoingEdges, reachableFrom, topologicalOrder, upstream, type FlowGraphInput } from './graph.ts';

/** Nodes named by letters in document order; edges as "a>b" or "a:port>b". */
function graph(nodes: string, edges: string[]): FlowGraphInput {
  return {
    nodes: nodes.split('').map((id) => ({ id })),
    edges: edges.map((e) => {
      const [left, to] = e.split('>') as [string, string];
      const [from, port] = left.split(':') as [string, string | undefined];
      return port === undefined ? { from, to } : { from, port, to };
    }),
  };
}

describe('topologicalOrder', () => {
  it.each([
    { name: 'a chain', g: graph('abc', ['a>b', 'b>c']), order: 'abc' },
    { name: 'a chain written backwards in the document', g: graph('cba', ['a>b', 'b>c']), order: 'abc' },
    { name: 'independent branches follow document order', g: graph('atsb', ['a>s', 'a>t', 'a>b']), order: 'atsb' },
    { name: 'a join waits for both sides', g: graph('ajbc', ['a>b', 'a>c', 'b>j', 'c>j']), order: 'abcj' },
    { name: 'a node that becomes ready later still sorts by document position', g: graph('axyb', ['a>y', 'y>b', 'a>x']), order: 'axyb' },
    { name: 'unconnected nodes keep their place', g: graph('zab', ['a>b']), order: 'zab' },
    { name: 'edges to missing nodes are ignored', g: graph('ab', ['a>b', 'b>ghost', 'ghost>a']), order: 'ab' },
    { name: 'two ports to the same node count once', g: graph('ab', ['a:yes>b', 'a:no>b']), order: 'ab' },
  ])('$name', ({ g, order }) => {
    expect(topologicalOrder(g).join('')).toBe(order);
  });

  it('orders the fixture flow so every step comes after its inputs', () => {
    expect(topologicalOrder(baseFlow())).toEqual(['hook', 'toSO', 'route', 'createSO', 'notify']);
  });

  it('throws FLOW_CYCLE naming the cycle', () => {
    let caught: unknown;
    try {
      topologicalOrder(graph('abcd', ['a>b', 'b>c', 'c>b', 'c>d']));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(FlowError);
    expect((caught as FlowError).code).toBe('FLOW_CYCLE');
    expect((caught as FlowError).details['cycles']).toEqual([['b', 'c']]);
    expect((caught as FlowError).message).toContain('b → c → b');
  });
});

describe('findCycles', () => {
  it.each([
    { name: 'none in a tree', g: graph('abc', ['a>b', 'a>c']), cycles: [] as string[][] },
    { name: 'a self-edge', g: graph('ab', ['a>b', 'b>b']), cycles: [['b']] },
    { name: 'a loop of three, named from its first node in the document', g: graph('xcab', ['x>a', 'a>b', 'b>c', 'c>a']), cycles: [['c', 'a', 'b']] },
    { name: 'two separate loops', g: graph('abcd', ['a>b', 'b>a', 'c>d', 'd>c']), cycles: [['a', 'b'], ['c', 'd']] },
    { name: 'the shortest way round inside a tangled component', g: graph('abcd', ['a>b', 'b>c', 'c>d', 'd>a', 'b>a']), cycles: [['a', 'b']] },
  ])('$name', ({ g, cycles }) => {
    expect(findCycles(g)).toEqual(cycles);
  });

  it('copes with a long chain without running out of stack', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `n${i}`);
    const doc = { nodes: ids.map((id) => ({ id })), edges: ids.slice(1).map((id, i) => ({ from: ids[i] as string, to: id })) };
    expect(findCycles(doc)).toEqual([]);
    expect(findCycles({ ...doc, edges: [...doc.edges, { from: 'n19999', to: 'n0' }] })[0]).toHaveLength(20_000);
  });
});

describe('reachability', () => {
  const g = graph('abcdex', ['a>b', 'b>c', 'a>d', 'd>c', 'c>e']);

  it('reachableFrom includes the node and follows every port', () => {
    expect(reachableFrom(g, 'a')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(reachableFrom(g, 'd')).toEqual(['c', 'd', 'e']);
    expect(reachableFrom(g, 'ghost')).toEqual([]);
  });

  it('upstream lists every node feeding a node, in document order', () => {
    expect(upstream(g, 'e')).toEqual(['a', 'b', 'c', 'd']);
    expect(upstream(g, 'c')).toEqual(['a', 'b', 'd']);
    expect(upstream(g, 'a')).toEqual([]);
    expect(upstream(g, 'x')).toEqual([]);
  });

  it('downstream lists every node a node feeds, without itself', () => {
    expect(downstream(g, 'b')).toEqual(['c', 'e']);
    expect(downstream(g, 'e')).toEqual([]);
    expect(downstream(graph('ab', ['a>b', 'b>a']), 'a')).toEqual(['b']);
  });
});

describe('edges of a node', () => {
  const doc = baseFlow();

  it('incomingEdges and outgoingEdges keep document order', () => {
    expect(incomingEdges(doc, 'notify')).toEqual([
      { from: 'route', port: 'else', to: 'notify' },
      { from: 'createSO', port: 'error', to: 'notify' },
    ]);
    expect(outgoingEdges(doc, 'route').map((e) => e.to)).toEqual(['createSO', 'notify']);
    expect(incomingEdges(doc, 'hook')).toEqual([]);
  });

  it('outgoingEdges filters by port, where an omitted port means out', () => {
    expect(outgoingEdges(doc, 'route', 'else')).toEqual([{ from: 'route', port: 'else', to: 'notify' }]);
    expect(outgoingEdges(doc, 'hook', 'out')).toEqual([{ from: 'hook', to: 'toSO' }]);
    expect(outgoingEdges(doc, 'createSO', 'out')).toEqual([]);
    expect(edgePort({})).toBe('out');
    expect(edgePort({ port: 'error' })).toBe('error');
  });
});
