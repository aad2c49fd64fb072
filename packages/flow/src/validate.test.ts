import { describe, expect, it } from 'vitest';
import { baseFlow, looseFlow, parenChecker, testCatalog, type LooseFlow } from '../test/fixtures.ts';
import type { ExpressionChecker } from './catalog.ts';
import { FlowError, flowIssueCodes, hasErrors, type FlowIssue, type FlowIssueCode } from './errors.ts';
import { parseIssuePath } from './path.ts';
import { assertValidFlow, validateFlow } from './validate.ts';

const validate = (doc: unknown, checkExpression: ExpressionChecker = parenChecker): FlowIssue[] => validateFlow(doc, testCatalog, { checkExpression });

function node(doc: LooseFlow, id: string): LooseFlow['nodes'][number] {
  const n = doc.nodes.find((x) => x['id'] === id);
  if (!n) throw new Error(`fixture has no node ${id}`);
  return n;
}

interface Row {
  name: string;
  mutate: (doc: LooseFlow) => void;
  /** The issue that must be reported (fields compared as given). */
  expect: Partial<FlowIssue> & { code: FlowIssueCode };
  /** Every code reported, when the mutation also causes other issues; defaults to just expect.code. */
  codes?: FlowIssueCode[];
  /** Text the message must contain. */
  says?: string;
}

const rows: Row[] = [
  { name: 'node without a type', mutate: (d) => delete node(d, 'toSO')['type'], expect: { code: 'FLOW_SCHEMA', path: 'nodes[1].type', nodeId: 'toSO' } },
  { name: 'key outside the format', mutate: (d) => (node(d, 'hook')['position'] = { x: 1, y: 2 }), expect: { code: 'FLOW_SCHEMA', path: 'nodes[0].position', nodeId: 'hook' } },
  { name: 'bad edge shape', mutate: (d) => d.edges.push({ from: 'hook', to: 7 }), expect: { code: 'FLOW_SCHEMA', path: 'edges[5].to', edgeIndex: 5 } },
  { name: 'older format', mutate: (d) => (d['schemaVersion'] = 0), expect: { code: 'FLOW_UNSUPPORTED_VERSION', path: 'schemaVersion' }, says: 'run migrateFlow' },
  { name: 'newer format', mutate: (d) => (d['schemaVersion'] = 2), expect: { code: 'FLOW_UNSUPPORTED_VERSION', path: 'schemaVersion' }, says: 'saved by a newer Tributary' },
  {
    name: 'two nodes share an id',
    mutate: (d) => d.nodes.push({ ...node(d, 'toSO') }),
    expect: { code: 'FLOW_DUPLICATE_NODE_ID', path: 'nodes[5].id', nodeId: 'toSO', severity: 'error' },
  },
  { name: 'edge to a missing node', mutate: (d) => d.edges.push({ from: 'toSO', to: 'ghost' }), expect: { code: 'FLOW_EDGE_UNKNOWN_NODE', path: 'edges[5].to', edgeIndex: 5 }, says: '"ghost"' },
  { name: 'edge from a missing node', mutate: (d) => d.edges.push({ from: 'ghost', to: 'notify' }), expect: { code: 'FLOW_EDGE_UNKNOWN_NODE', path: 'edges[5].from', edgeIndex: 5 } },
  {
    name: 'port not among the branch cases',
    mutate: (d) => d.edges.push({ from: 'route', port: 'retail', to: 'notify' }),
    expect: { code: 'FLOW_EDGE_UNKNOWN_PORT', path: 'edges[5].port', nodeId: 'route', edgeIndex: 5 },
    says: '"else", "wholesale"',
  },
  {
    name: 'default port on a node without one',
    mutate: (d) => d.edges.push({ from: 'route', to: 'notify' }),
    expect: { code: 'FLOW_EDGE_UNKNOWN_PORT', path: 'edges[5]', nodeId: 'route' },
  },
  {
    name: 'error port without onError route',
    mutate: (d) => d.edges.push({ from: 'toSO', port: 'error', to: 'notify' }),
    expect: { code: 'FLOW_EDGE_UNKNOWN_PORT', path: 'edges[5].port', nodeId: 'toSO' },
    says: 'onError: "route"',
  },
  {
    name: 'error port on a node whose onError is fail',
    mutate: (d) => (node(d, 'createSO')['onError'] = 'fail'),
    expect: { code: 'FLOW_EDGE_UNKNOWN_PORT', path: 'edges[4].port', nodeId: 'createSO' },
  },
  { name: 'same edge twice', mutate: (d) => d.edges.push({ from: 'hook', to: 'toSO' }), expect: { code: 'FLOW_DUPLICATE_EDGE', path: 'edges[5]', edgeIndex: 5 }, says: 'edge 0' },
  {
    name: 'same edge twice, once with the default port spelled out',
    mutate: (d) => d.edges.push({ from: 'hook', port: 'out', to: 'toSO' }),
    expect: { code: 'FLOW_DUPLICATE_EDGE', path: 'edges[5]' },
  },
  {
    name: 'edge back upstream',
    mutate: (d) => d.edges.push({ from: 'notify', to: 'toSO' }),
    expect: { code: 'FLOW_CYCLE', nodeId: 'toSO', path: 'edges[5]', cycle: ['toSO', 'route', 'notify'] },
    says: '"toSO" → "route" → "notify" → "toSO"',
  },
  { name: 'node wired to itself', mutate: (d) => d.edges.push({ from: 'notify', to: 'notify' }), expect: { code: 'FLOW_CYCLE', nodeId: 'notify', cycle: ['notify'] } },
  {
    name: 'no trigger node',
    mutate: (d) => {
      d.nodes.shift();
      d.edges.shift();
      delete d.layout['hook'];
      d['trigger'] = 'toSO';
    },
    expect: { code: 'FLOW_NO_TRIGGER', path: 'nodes' },
    codes: ['FLOW_NO_TRIGGER', 'FLOW_TRIGGER_MISMATCH'],
  },
  {
    name: 'second trigger',
    mutate: (d) => {
      d.nodes.push({ id: 'nightly', type: 'test.schedule', config: {} });
      d.edges.push({ from: 'nightly', to: 'toSO' });
    },
    expect: { code: 'FLOW_MULTIPLE_TRIGGERS', path: 'nodes[5]', nodeId: 'nightly' },
    says: '"hook", "nightly"',
  },
  { name: 'trigger names no node', mutate: (d) => (d['trigger'] = 'ghost'), expect: { code: 'FLOW_TRIGGER_MISMATCH', path: 'trigger' }, says: 'the trigger node is "hook"' },
  { name: 'trigger names an action', mutate: (d) => (d['trigger'] = 'createSO'), expect: { code: 'FLOW_TRIGGER_MISMATCH', path: 'trigger', nodeId: 'createSO' } },
  {
    name: 'edge into the trigger',
    mutate: (d) => d.edges.push({ from: 'notify', to: 'hook' }),
    expect: { code: 'FLOW_EDGE_INTO_TRIGGER', path: 'edges[5].to', nodeId: 'hook', edgeIndex: 5 },
    codes: ['FLOW_EDGE_INTO_TRIGGER', 'FLOW_CYCLE'],
  },
  {
    name: 'node nobody leads to',
    mutate: (d) => d.nodes.push({ id: 'lonely', type: 'ops.notify', config: { message: 'hi' } }),
    expect: { code: 'FLOW_UNREACHABLE_NODE', path: 'nodes[5]', nodeId: 'lonely', severity: 'error' },
  },
  {
    name: 'disabled node nobody leads to',
    mutate: (d) => d.nodes.push({ id: 'parked', type: 'ops.notify', config: { message: 'hi' }, disabled: true }),
    expect: { code: 'FLOW_UNREACHABLE_NODE', nodeId: 'parked', severity: 'warning' },
  },
  { name: 'type no connector provides', mutate: (d) => (node(d, 'notify')['type'] = 'ops.notifyy'), expect: { code: 'FLOW_UNKNOWN_NODE_TYPE', path: 'nodes[4].type', nodeId: 'notify' } },
  {
    name: 'required connection missing',
    mutate: (d) => delete node(d, 'createSO').config['connection'],
    expect: { code: 'FLOW_CONFIG_REQUIRED', path: 'nodes[3].config.connection', nodeId: 'createSO' },
    says: '"Connection" is required',
  },
  { name: 'required text blank', mutate: (d) => (node(d, 'notify').config['message'] = '  '), expect: { code: 'FLOW_CONFIG_REQUIRED', path: 'nodes[4].config.message' } },
  { name: 'required value is an empty expression', mutate: (d) => (node(d, 'createSO').config['order'] = { $expr: ' ' }), expect: { code: 'FLOW_CONFIG_REQUIRED', path: 'nodes[3].config.order' } },
  { name: 'required list empty', mutate: (d) => (node(d, 'route').config['cases'] = []), expect: { code: 'FLOW_CONFIG_REQUIRED', path: 'nodes[2].config.cases' }, codes: ['FLOW_CONFIG_REQUIRED', 'FLOW_EDGE_UNKNOWN_PORT'] },
  {
    name: 'required field inside a list item',
    mutate: (d) => (node(d, 'route').config['cases'] = [{ name: 'wholesale' }]),
    expect: { code: 'FLOW_CONFIG_REQUIRED', path: 'nodes[2].config.cases[0].when', nodeId: 'route' },
  },
  { name: 'text where a whole number belongs', mutate: (d) => (node(d, 'createSO').config['quantity'] = 'five'), expect: { code: 'FLOW_CONFIG_TYPE', path: 'nodes[3].config.quantity' }, says: 'got a string' },
  { name: 'fraction where a whole number belongs', mutate: (d) => (node(d, 'createSO').config['quantity'] = 2.5), expect: { code: 'FLOW_CONFIG_TYPE', path: 'nodes[3].config.quantity' }, says: '2.5' },
  { name: 'number below min', mutate: (d) => (node(d, 'createSO').config['quantity'] = 0), expect: { code: 'FLOW_CONFIG_TYPE', path: 'nodes[3].config.quantity' }, says: 'at least 1' },
  { name: 'number above max', mutate: (d) => (node(d, 'createSO').config['discount'] = 1.5), expect: { code: 'FLOW_CONFIG_TYPE', path: 'nodes[3].config.discount' }, says: 'at most 1' },
  { name: 'select value not an option', mutate: (d) => (node(d, 'createSO').config['priority'] = 'urgent'), expect: { code: 'FLOW_CONFIG_TYPE', path: 'nodes[3].config.priority' }, says: '"normal", "rush"' },
  { name: 'multiselect item not an option', mutate: (d) => (node(d, 'createSO').config['tags'] = ['b2b', 'retail']), expect: { code: 'FLOW_CONFIG_TYPE', path: 'nodes[3].config.tags[1]' } },
  { name: 'multiselect not a list', mutate: (d) => (node(d, 'createSO').config['tags'] = 'b2b'), expect: { code: 'FLOW_CONFIG_TYPE', path: 'nodes[3].config.tags' } },
  { name: 'boolean as text', mutate: (d) => (node(d, 'createSO').config['dryRun'] = 'yes'), expect: { code: 'FLOW_CONFIG_TYPE', path: 'nodes[3].config.dryRun' } },
  { name: 'object as text', mutate: (d) => (node(d, 'createSO').config['order'] = 'SO-1'), expect: { code: 'FLOW_CONFIG_TYPE', path: 'nodes[3].config.order' } },
  { name: 'connection as a number', mutate: (d) => (node(d, 'createSO').config['connection'] = 42), expect: { code: 'FLOW_CONFIG_TYPE', path: 'nodes[3].config.connection' } },
  {
    name: 'expression where only a fixed value is allowed',
    mutate: (d) => (node(d, 'createSO').config['connection'] = { $expr: '$vars.erp' }),
    expect: { code: 'FLOW_CONFIG_TYPE', path: 'nodes[3].config.connection' },
    says: 'not an expression',
  },
  { name: 'wrong type inside a list item', mutate: (d) => (node(d, 'route').config['cases'] = [{ name: 5, when: 'true' }]), expect: { code: 'FLOW_CONFIG_TYPE', path: 'nodes[2].config.cases[0].name' }, codes: ['FLOW_CONFIG_TYPE', 'FLOW_EDGE_UNKNOWN_PORT'] },
  {
    name: 'expression with something beside it',
    mutate: (d) => (node(d, 'createSO').config['extra'] = { note: { $expr: '$x', fallback: 'n/a' } }),
    expect: { code: 'FLOW_CONFIG_TYPE', path: 'nodes[3].config.extra.note' },
  },
  {
    name: 'config key the type does not declare',
    mutate: (d) => (node(d, 'createSO').config['colour'] = 'red'),
    expect: { code: 'FLOW_CONFIG_UNKNOWN', path: 'nodes[3].config.colour', nodeId: 'createSO', severity: 'warning' },
  },
  {
    name: 'key inside an object prop that is not one of its fields',
    mutate: (d) => (node(d, 'route').config['cases'] = [{ name: 'a', when: 'true', colour: 'red' }]),
    expect: { code: 'FLOW_CONFIG_UNKNOWN', path: 'nodes[2].config.cases[0].colour', severity: 'warning' },
    codes: ['FLOW_CONFIG_UNKNOWN', 'FLOW_EDGE_UNKNOWN_PORT'],
  },
  {
    name: 'broken jsonata prop',
    mutate: (d) => (node(d, 'toSO').config['expression'] = '$sum(order.lines'),
    expect: { code: 'FLOW_EXPRESSION_SYNTAX', path: 'nodes[1].config.expression', nodeId: 'toSO', line: 1, column: 5, offset: 4 },
    says: 'line 1, column 5 (offset 4)',
  },
  {
    name: 'broken expression on a later line',
    mutate: (d) => (node(d, 'toSO').config['expression'] = '{\n  "a": b)\n}'),
    expect: { code: 'FLOW_EXPRESSION_SYNTAX', line: 2, column: 9, offset: 10 },
  },
  {
    name: 'broken $expr deep inside an object value',
    mutate: (d) => (node(d, 'createSO').config['order'] = { lines: [{ sku: { $expr: '$uppercase((sku)' } }] }),
    expect: { code: 'FLOW_EXPRESSION_SYNTAX', path: 'nodes[3].config.order.lines[0].sku', nodeId: 'createSO', offset: 10 },
  },
  {
    name: 'broken $expr under a key the type does not declare',
    mutate: (d) => (node(d, 'notify').config['extra'] = { $expr: ')' }),
    expect: { code: 'FLOW_EXPRESSION_SYNTAX', path: 'nodes[4].config.extra' },
    codes: ['FLOW_CONFIG_UNKNOWN', 'FLOW_EXPRESSION_SYNTAX'],
  },
  {
    name: 'broken branch condition',
    mutate: (d) => (node(d, 'route').config['cases'] = [{ name: 'wholesale', when: 'total > (100' }]),
    expect: { code: 'FLOW_EXPRESSION_SYNTAX', path: 'nodes[2].config.cases[0].when' },
  },
  { name: 'position for a node that is gone', mutate: (d) => (d.layout['ghost'] = { x: 1, y: 1 }), expect: { code: 'FLOW_LAYOUT_UNKNOWN_NODE', path: 'layout.ghost', severity: 'warning' } },
];

describe('validateFlow', () => {
  it('finds nothing wrong with the base flow', () => {
    expect(validate(baseFlow())).toEqual([]);
  });

  it.each(rows)('$expect.code: $name', (row) => {
    const doc = looseFlow();
    row.mutate(doc);
    const issues = validate(doc);
    expect(issues).toContainEqual(expect.objectContaining(row.expect));
    expect([...new Set(issues.map((i) => i.code))].sort()).toEqual([...(row.codes ?? [row.expect.code])].sort());
    if (row.says !== undefined) expect(issues.find((i) => i.code === row.expect.code)?.message).toContain(row.says);
  });

  it('has a row for every issue code', () => {
    const covered = new Set(rows.map((r) => r.expect.code));
    expect(flowIssueCodes.filter((c) => !covered.has(c))).toEqual([]);
  });

  it('gives every issue a path that reads back and a severity', () => {
    for (const row of rows) {
      const doc = looseFlow();
      row.mutate(doc);
      for (const issue of validate(doc)) {
        expect(parseIssuePath(issue.path), `${row.name}: ${issue.path}`).toBeDefined();
        expect(['error', 'warning']).toContain(issue.severity);
        expect(issue.message.length).toBeGreaterThan(10);
      }
    }
  });

  it('reports several problems in one pass', () => {
    const doc = looseFlow();
    delete node(doc, 'toSO')['type'];
    doc.nodes.push({ id: 'notify', type: 'ops.notify', config: { message: 'again' } });
    doc.edges.push({ from: 'toSO', to: 'ghost' });
    node(doc, 'createSO').config['colour'] = 'red';
    delete node(doc, 'createSO').config['connection'];
    node(doc, 'notify').config['message'] = { $expr: 'join((lines)' };
    doc.layout['gone'] = { x: 0, y: 0 };
    const found = validate(doc).map((i) => [i.code, i.path]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['FLOW_SCHEMA', 'nodes[1].type'],
        ['FLOW_DUPLICATE_NODE_ID', 'nodes[5].id'],
        ['FLOW_EDGE_UNKNOWN_NODE', 'edges[5].to'],
        ['FLOW_CONFIG_UNKNOWN', 'nodes[3].config.colour'],
        ['FLOW_CONFIG_REQUIRED', 'nodes[3].config.connection'],
        ['FLOW_EXPRESSION_SYNTAX', 'nodes[4].config.message'],
        ['FLOW_LAYOUT_UNKNOWN_NODE', 'layout.gone'],
      ]),
    );
    expect(found).toHaveLength(7);
  });

  it('still checks ids and edges of nodes the schema rejects', () => {
    const issues = validate({
      schemaVersion: 1,
      id: 'f',
      name: 'broken',
      trigger: 'hook',
      nodes: [{ id: 'hook', type: 'test.webhook' }, { id: 'a' }, { id: 'a', type: 'ops.notify', config: { message: 'x' } }, 'not a node'],
      edges: [{ from: 'hook', to: 'a' }, { from: 'a', to: 'missing' }, { from: 'hook', to: 'a' }],
    });
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['FLOW_SCHEMA', 'nodes[1].type'],
      ['FLOW_SCHEMA', 'nodes[3]'],
      ['FLOW_DUPLICATE_NODE_ID', 'nodes[2].id'],
      ['FLOW_EDGE_UNKNOWN_NODE', 'edges[1].to'],
      ['FLOW_DUPLICATE_EDGE', 'edges[2]'],
    ]);
  });

  it('reports a document that is not an object as one schema issue', () => {
    expect(validate([])).toEqual([expect.objectContaining({ code: 'FLOW_SCHEMA', path: '' })]);
    expect(validate(null)).toEqual([expect.objectContaining({ code: 'FLOW_SCHEMA', path: '' })]);
  });

  it('skips expression syntax when no checker is given, and uses line/column when that is all the checker gives', () => {
    const doc = looseFlow();
    node(doc, 'toSO').config['expression'] = 'a\nb(';
    expect(validateFlow(doc, testCatalog)).toEqual([]);
    const lineColumnOnly: ExpressionChecker = (text) => (text.includes('\n') ? [{ message: 'bad token', line: 2, column: 2 }] : []);
    expect(validate(doc, lineColumnOnly)).toEqual([expect.objectContaining({ code: 'FLOW_EXPRESSION_SYNTAX', line: 2, column: 2, offset: 3 })]);
  });

  it('accepts ports computed at run time without checking them', () => {
    const doc = looseFlow();
    node(doc, 'route').config['cases'] = { $expr: '$vars.cases' };
    const issues = validate(doc);
    expect(issues.map((i) => i.code)).toEqual(['FLOW_CONFIG_TYPE']);
  });

  it('reads branch ports from plain strings and { port } items too', () => {
    const branch = testCatalog['core.branch'];
    if (!branch) throw new Error('fixture catalog lacks core.branch');
    const catalog = { ...testCatalog, 'core.branch': { ...branch, props: { cases: { type: 'json' as const, label: 'Cases', required: true } } } };
    const doc = looseFlow();
    doc.edges.push({ from: 'route', port: 'export', to: 'notify' });
    expect(validateFlow(doc, catalog).map((i) => [i.code, i.edgeIndex])).toEqual([['FLOW_EDGE_UNKNOWN_PORT', 5]]);
    node(doc, 'route').config['cases'] = ['wholesale', { port: 'export' }];
    expect(validateFlow(doc, catalog)).toEqual([]);
  });

  it('does not also claim "no trigger" when the trigger node has a misspelt type', () => {
    const doc = looseFlow();
    node(doc, 'hook')['type'] = 'test.webhok';
    expect(validate(doc).map((i) => [i.code, i.nodeId])).toEqual([['FLOW_UNKNOWN_NODE_TYPE', 'hook']]);
  });

  it('says only "no nodes" of a new empty flow, not also that its trigger id names no node', () => {
    const doc = looseFlow();
    doc.nodes = [];
    doc.edges = [];
    doc.layout = {};
    doc['trigger'] = 'trigger';
    expect(validate(doc).map((i) => [i.code, i.message])).toEqual([['FLOW_NO_TRIGGER', 'the flow has no nodes; it needs a trigger node to start']]);
  });

  it('lets a required prop with a default be left out', () => {
    const doc = looseFlow();
    doc.nodes[0] = { id: 'hook', type: 'test.schedule', config: {} };
    expect(validate(doc)).toEqual([]);
  });

  it('takes the catalog as a Map too', () => {
    const doc = looseFlow();
    node(doc, 'notify')['type'] = 'ops.other';
    const issues = validateFlow(doc, new Map(Object.entries(testCatalog)), { checkExpression: parenChecker });
    expect(issues.map((i) => i.code)).toEqual(['FLOW_UNKNOWN_NODE_TYPE']);
  });
});

describe('assertValidFlow and hasErrors', () => {
  it('returns the parsed flow when there are only warnings', () => {
    const doc = looseFlow();
    doc.layout['ghost'] = { x: 0, y: 0 };
    expect(hasErrors(validate(doc))).toBe(false);
    const flow = assertValidFlow(doc, testCatalog, { checkExpression: parenChecker });
    expect(flow.settings.priority).toBe('high');
    expect(flow.nodes[0]?.config).toEqual({});
  });

  it('throws FLOW_INVALID carrying every issue', () => {
    const doc = looseFlow();
    doc['trigger'] = 'ghost';
    node(doc, 'notify').config['message'] = 7;
    let caught: unknown;
    try {
      assertValidFlow(doc, testCatalog);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(FlowError);
    const err = caught as FlowError;
    expect(err.code).toBe('FLOW_INVALID');
    expect(err.kind).toBe('user');
    expect(err.retryable).toBe(false);
    expect((err.details['issues'] as FlowIssue[]).map((i) => i.code)).toEqual(['FLOW_CONFIG_TYPE', 'FLOW_TRIGGER_MISMATCH']);
    expect(err.message).toContain('and 1 more');
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({ name: 'FlowError', code: 'FLOW_INVALID' });
  });
});
