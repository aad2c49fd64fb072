import { describe, expect, it } from 'vitest';
import { baseFlow, looseFlow } from '../test/fixtures.ts';
import { parseFlow } from './parse.ts';
import { formatIssuePath, parseIssuePath, type PathSegment } from './path.ts';
import { flowJsonSchema } from './schema.ts';

describe('parseFlow', () => {
  it('parses a valid flow and fills defaults', () => {
    const doc = looseFlow();
    delete doc['settings'];
    const r = parseFlow(doc);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.flow.settings).toEqual({ priority: 'normal', concurrency: 10, timeoutMs: 300_000 });
    expect(r.flow.nodes.find((n) => n.id === 'createSO')?.retry).toEqual({ attempts: 8, backoff: 'exponential', initialDelayMs: 1000, maxDelayMs: 3_600_000 });
  });

  it('reads JSON text too', () => {
    expect(parseFlow(JSON.stringify(baseFlow())).ok).toBe(true);
    expect(parseFlow('{ "schemaVersion": 1,')).toEqual({ ok: false, issues: [expect.objectContaining({ code: 'FLOW_SCHEMA', path: '' })] });
  });

  it('maps every zod issue to FLOW_SCHEMA with a path and the node id', () => {
    const doc = looseFlow();
    delete doc.nodes[1]?.['type'];
    (doc.nodes[2] as Record<string, unknown>)['onError'] = 'explode';
    doc.nodes[3]!['colour'] = 'red';
    doc['name'] = '';
    const r = parseFlow(doc);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.code, i.path, i.nodeId])).toEqual([
      ['FLOW_SCHEMA', 'name', undefined],
      ['FLOW_SCHEMA', 'nodes[1].type', 'toSO'],
      ['FLOW_SCHEMA', 'nodes[2].onError', 'route'],
      ['FLOW_SCHEMA', 'nodes[3].colour', 'createSO'],
    ]);
    expect(r.issues[3]?.message).toContain('unknown key "colour"');
    expect(r.issues[1]?.message).toMatch(/^nodes\[1\]\.type: /);
  });

  it.each([
    { version: 0, says: 'run migrateFlow' },
    { version: 7, says: 'saved by a newer Tributary' },
  ])('refuses format version $version with one FLOW_UNSUPPORTED_VERSION', ({ version, says }) => {
    const r = parseFlow({ ...baseFlow(), schemaVersion: version });
    expect(r).toEqual({ ok: false, issues: [expect.objectContaining({ code: 'FLOW_UNSUPPORTED_VERSION', path: 'schemaVersion', message: expect.stringContaining(says) })] });
  });
});

describe('issue paths', () => {
  it.each<{ segments: PathSegment[]; text: string }>([
    { segments: [], text: '' },
    { segments: ['trigger'], text: 'trigger' },
    { segments: ['nodes', 2, 'config', 'order'], text: 'nodes[2].config.order' },
    { segments: ['layout', 'order-created'], text: 'layout.order-created' },
    { segments: ['nodes', 0, 'config', 'ship to', 0, '$expr'], text: 'nodes[0].config["ship to"][0].$expr' },
    { segments: ['nodes', 0, 'config', 'a]"b', '0'], text: 'nodes[0].config["a]\\"b"]["0"]' },
  ])('$text', ({ segments, text }) => {
    expect(formatIssuePath(segments)).toBe(text);
    expect(parseIssuePath(text)).toEqual(segments);
  });

  it.each(['.a', 'a..b', 'a[', 'a["b]', 'a[b]', '9a'])('rejects %s', (text) => {
    expect(parseIssuePath(text)).toBeUndefined();
  });
});

describe('flowJsonSchema', () => {
  it('is plain JSON describing nodes and edges', () => {
    const schema = flowJsonSchema();
    const copy = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
    expect(copy).toEqual(schema);
    expect(copy['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    const props = copy['properties'] as Record<string, { type?: string; items?: { properties?: Record<string, unknown>; required?: string[] } }>;
    expect(copy['required']).toEqual(expect.arrayContaining(['schemaVersion', 'id', 'name', 'trigger', 'nodes']));
    expect(props['nodes']?.type).toBe('array');
    expect(Object.keys(props['nodes']?.items?.properties ?? {})).toEqual(expect.arrayContaining(['id', 'type', 'config', 'retry', 'onError']));
    expect(props['nodes']?.items?.required).toEqual(['id', 'type']);
    expect(props['edges']?.type).toBe('array');
    expect(props['edges']?.items?.required).toEqual(['from', 'to']);
    expect(Object.keys(props['edges']?.items?.properties ?? {})).toEqual(['from', 'port', 'to']);
  });
});
