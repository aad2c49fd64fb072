import { describe, expect, it } from 'vitest';
import { baseFlow, parenChecker, testCatalog } from '../test/fixtures.ts';
import { flowMigrations, migrateFlow, type FlowMigration, type MigrateFlowResult } from './migrate.ts';
import { parseFlow } from './parse.ts';
import type { FlowDocument } from './schema.ts';
import { serializeFlow } from './serialize.ts';
import { validateFlow } from './validate.ts';

/** The fixture flow as the prototype (format version 0) saved it. */
function v0Flow(): Record<string, unknown> {
  return {
    schemaVersion: 0,
    id: 'flw_orders',
    name: 'Shopify order to ERP sales order',
    nodes: {
      // Not first in the map: the trigger is found by having no connection into it.
      toSO: { type: 'core.map', config: { expression: '{ "lines": order.lines }' }, position: { x: 260, y: 0 } },
      hook: { id: 'stale-id', type: 'test.webhook', name: 'New order', config: {}, position: { x: 0, y: 0 } },
      route: { type: 'core.branch', config: { cases: [{ name: 'wholesale', when: 'customer.tags = "b2b"' }] }, position: { x: 520, y: 0 } },
      createSO: {
        type: 'erp.createSalesOrder',
        config: { connection: 'erp-main', order: { $expr: '$steps.toSO' }, idempotencyKey: { $expr: '$trigger.name' }, quantity: 2, tags: ['b2b'] },
        retry: { attempts: 8, backoff: 'exponential', maxDelayMs: 3_600_000 },
        onError: 'route',
        position: { x: 780, y: -80 },
      },
      notify: { type: 'ops.notify', config: { message: 'Order needs attention' }, position: { x: 780, y: 80 } },
    },
    connections: [
      { source: 'hook', sourcePort: 'main', target: 'toSO' },
      { source: 'toSO', target: 'route' },
      { source: 'route', sourcePort: 'wholesale', target: 'createSO' },
      { source: 'route', sourcePort: 'else', target: 'notify' },
      { source: 'createSO', sourcePort: 'error', target: 'notify' },
    ],
    settings: { priority: 'high', concurrency: 20, timeoutMs: 300_000 },
  };
}

function migrated(r: MigrateFlowResult): FlowDocument {
  if (!r.ok) throw new Error(JSON.stringify(r.issues, null, 2));
  return r.flow;
}

describe('migrateFlow from version 0', () => {
  it('turns the node map, connections and positions into the current format', () => {
    const r = migrateFlow(v0Flow());
    const flow = migrated(r);
    expect(r.applied).toEqual([flowMigrations.get(0)?.name]);
    expect(flow.schemaVersion).toBe(1);
    expect(flow.trigger).toBe('hook');
    expect(flow.nodes.map((n) => n.id)).toEqual(['toSO', 'hook', 'route', 'createSO', 'notify']);
    expect(flow.nodes[1]).toEqual({ id: 'hook', type: 'test.webhook', name: 'New order', config: {} });
    expect(flow.edges).toEqual([
      { from: 'hook', to: 'toSO' },
      { from: 'toSO', to: 'route' },
      { from: 'route', port: 'wholesale', to: 'createSO' },
      { from: 'route', port: 'else', to: 'notify' },
      { from: 'createSO', port: 'error', to: 'notify' },
    ]);
    expect(flow.layout).toEqual({ toSO: { x: 260, y: 0 }, hook: { x: 0, y: 0 }, route: { x: 520, y: 0 }, createSO: { x: 780, y: -80 }, notify: { x: 780, y: 80 } });
  });

  it('gives a flow that validates and means the same as one written in the current format', () => {
    const flow = migrated(migrateFlow(v0Flow()));
    expect(validateFlow(flow, testCatalog, { checkExpression: parenChecker })).toEqual([]);
    const current = parseFlow(baseFlow());
    if (!current.ok) throw new Error('fixture does not parse');
    const sameOrder = { ...flow, nodes: current.flow.nodes.map((n) => flow.nodes.find((m) => m.id === n.id) as FlowDocument['nodes'][number]) };
    expect(serializeFlow(sameOrder)).toBe(serializeFlow(current.flow));
  });

  it('reads JSON text, and saving the result again changes nothing', () => {
    const text = serializeFlow(migrated(migrateFlow(JSON.stringify(v0Flow()))));
    expect(migrateFlow(text)).toMatchObject({ ok: true, applied: [] });
    expect(serializeFlow(migrated(migrateFlow(text)))).toBe(text);
  });

  it('starts at the first node when every node has a connection into it', () => {
    const doc = {
      schemaVersion: 0,
      id: 'loop',
      name: 'Loop',
      nodes: { a: { type: 'core.map' }, b: { type: 'core.map' } },
      connections: [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'a' },
      ],
    };
    const flow = migrated(migrateFlow(doc));
    expect(flow.trigger).toBe('a');
    expect(flow.layout).toEqual({});
    expect(validateFlow(flow, testCatalog).map((i) => i.code)).toContain('FLOW_CYCLE');
  });

  it.each([
    { name: 'a connection without a target', change: (d: Record<string, unknown>) => (d['connections'] = [{ source: 'hook' }]), path: 'connections[0].target' },
    { name: 'an unknown key on a connection', change: (d: Record<string, unknown>) => (d['connections'] = [{ source: 'hook', target: 'toSO', label: 'x' }]), path: 'connections[0].label' },
    { name: 'nodes as a list', change: (d: Record<string, unknown>) => (d['nodes'] = []), path: 'nodes' },
    { name: 'no nodes at all', change: (d: Record<string, unknown>) => (d['nodes'] = {}), path: 'nodes' },
    { name: 'a bad position', change: (d: Record<string, unknown>) => ((d['nodes'] as Record<string, Record<string, unknown>>)['hook']!['position'] = { x: 'left' }), path: 'nodes.hook.position.x' },
  ])('reports $name as FLOW_SCHEMA at the version 0 path', ({ change, path }) => {
    const doc = v0Flow();
    change(doc);
    const r = migrateFlow(doc);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.applied).toEqual([]);
    expect(r.issues).toContainEqual(expect.objectContaining({ code: 'FLOW_SCHEMA', path }));
  });

  it('reports what the current format rejects after migrating, with current paths', () => {
    const doc = v0Flow();
    (doc['nodes'] as Record<string, Record<string, unknown>>)['route']!['onError'] = 'explode';
    const r = migrateFlow(doc);
    expect(r).toMatchObject({ ok: false, applied: [flowMigrations.get(0)?.name] });
    if (!r.ok) expect(r.issues).toEqual([expect.objectContaining({ code: 'FLOW_SCHEMA', path: 'nodes[2].onError', nodeId: 'route' })]);
  });
});

describe('migrateFlow around the registry', () => {
  it('parses a current flow without applying anything', () => {
    const r = migrateFlow(baseFlow());
    expect(r).toMatchObject({ ok: true, applied: [] });
    expect(serializeFlow(migrated(r))).toBe(serializeFlow(baseFlow()));
  });

  it('refuses a flow saved by a newer build', () => {
    expect(migrateFlow({ ...baseFlow(), schemaVersion: 3 })).toEqual({
      ok: false,
      applied: [],
      issues: [expect.objectContaining({ code: 'FLOW_UNSUPPORTED_VERSION', path: 'schemaVersion', message: expect.stringContaining('saved by a newer Tributary') })],
    });
  });

  it('refuses an old version it has no migration for', () => {
    const r = migrateFlow({ ...v0Flow(), schemaVersion: -1 });
    expect(r).toEqual({ ok: false, applied: [], issues: [expect.objectContaining({ code: 'FLOW_UNSUPPORTED_VERSION', message: expect.stringContaining('cannot upgrade') })] });
  });

  it('applies migrations one after another, in version order', () => {
    // A made-up version -1 that called the connections "links"; it only has to reach version 0.
    const fromMinusOne: FlowMigration = {
      from: -1,
      to: 0,
      name: '-1→0: links renamed connections',
      migrate: ({ links, ...rest }) => ({ ok: true, doc: { ...rest, schemaVersion: 0, connections: links } }),
    };
    const old = { ...v0Flow(), schemaVersion: -1, links: v0Flow()['connections'] };
    delete (old as Record<string, unknown>)['connections'];
    const r = migrateFlow(old, { migrations: new Map([...flowMigrations, [-1, fromMinusOne]]) });
    expect(r.applied).toEqual([fromMinusOne.name, flowMigrations.get(0)?.name]);
    expect(migrated(r).edges).toHaveLength(5);
  });

  it('stops at a migration that reports issues', () => {
    const failing: FlowMigration = { from: 0, to: 1, name: 'fails', migrate: () => ({ ok: false, issues: [{ code: 'FLOW_SCHEMA', path: 'nodes', message: 'cannot convert' }] }) };
    expect(migrateFlow(v0Flow(), { migrations: new Map([[0, failing]]) })).toEqual({ ok: false, applied: [], issues: [expect.objectContaining({ message: 'cannot convert' })] });
  });

  it('reports input that is not a JSON object', () => {
    expect(migrateFlow('[1, 2]')).toMatchObject({ ok: false, issues: [{ code: 'FLOW_SCHEMA', path: '' }] });
    expect(migrateFlow('not json')).toMatchObject({ ok: false, issues: [{ code: 'FLOW_SCHEMA', path: '' }] });
  });
});
