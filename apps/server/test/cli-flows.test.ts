import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeFlow, type FlowDocumentInput } from '@tributary/flow';
import { openStore, type JsonValue, type Store } from '@tributary/store';
import { runCli, runInProcess } from './cli-harness.ts';

/** `tributary flows …` spawned as a real process; each test works on its own copy of a seeded PGlite data directory. */

let work: string;
let template: string;

function doc(id: string, expression = '$'): Record<string, unknown> {
  return {
    schemaVersion: 1,
    id,
    name: `Flow ${id}`,
    trigger: 'start',
    nodes: [
      { id: 'start', type: 'core.manual', config: {} },
      { id: 'shape', type: 'core.map', config: { expression } },
    ],
    edges: [{ from: 'start', to: 'shape' }],
  };
}

async function withStore<T>(dataDir: string, fn: (s: Store) => Promise<T>): Promise<T> {
  const s = await openStore({ dataDir });
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

let copies = 0;
function copy(): { dataDir: string; env: Record<string, string> } {
  const dataDir = path.join(work, `data-${++copies}`);
  cpSync(template, dataDir, { recursive: true });
  return { dataDir, env: { TRIBUTARY_DATA_DIR: dataDir } };
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'trb-cli-flows-'));
  template = path.join(work, 'template');
  await withStore(template, async (s) => {
    await s.createFlow({ id: 'alpha', name: 'Flow alpha', draft: doc('alpha') as JsonValue });
    await s.createFlow({ id: 'beta', name: 'Flow beta', draft: doc('beta', '{ "sku": sku }') as JsonValue });
    const unfinished = doc('draft-only', '$.(');
    (unfinished['nodes'] as unknown[]).push({ id: 'ghost', type: 'core.nope' });
    await s.createFlow({ id: 'draft-only', name: 'Unfinished', draft: unfinished as JsonValue });
  });
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('tributary flows', () => {
  it('exports one canonical JSON file per flow', { timeout: 90_000 }, async () => {
    const { env } = copy();
    const out = path.join(work, 'export');
    const r = await runCli(['flows', 'export', out], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('exported 3 flows');
    expect(readdirSync(out).sort()).toEqual(['alpha.json', 'beta.json', 'draft-only.json']);
    expect(readFileSync(path.join(out, 'alpha.json'), 'utf8')).toBe(serializeFlow(doc('alpha') as FlowDocumentInput));
  });

  it('with --strict, imports valid files, reports every problem of the others by file, and imports nothing from them', { timeout: 90_000 }, async () => {
    const { dataDir, env } = copy();
    const dir = path.join(work, 'import');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'alpha.json'), serializeFlow({ ...doc('alpha'), name: 'Alpha renamed' } as FlowDocumentInput));
    writeFileSync(path.join(dir, 'beta.json'), serializeFlow(doc('beta', '{ "sku": sku }') as FlowDocumentInput));
    writeFileSync(path.join(dir, 'gamma.json'), JSON.stringify(doc('gamma')));
    const broken = doc('broken', '$.(');
    (broken['nodes'] as unknown[]).push({ id: 'ghost', type: 'core.nope', config: {} });
    writeFileSync(path.join(dir, 'broken.json'), JSON.stringify(broken));
    writeFileSync(path.join(dir, 'misnamed.json'), JSON.stringify(doc('other-id')));
    writeFileSync(path.join(dir, 'garbage.json'), '{ not json');
    writeFileSync(path.join(dir, 'notes.txt'), 'ignored');

    const r = await runCli(['flows', 'import', dir, '--strict'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('alpha.json: updated alpha');
    expect(r.stdout).toContain('beta.json: unchanged beta');
    expect(r.stdout).toContain('gamma.json: created gamma');
    expect(r.stdout).toContain('imported 3 of 6 file(s): 1 created, 1 updated, 1 unchanged, 3 failed');
    expect(r.stderr).toContain('broken.json: not imported (--strict): the flow has 3 error(s)');
    expect(r.stderr).toMatch(/broken\.json: error FLOW_EXPRESSION_SYNTAX at nodes\[1\]\.config\.expression/);
    expect(r.stderr).toMatch(/broken\.json: error FLOW_UNKNOWN_NODE_TYPE at nodes\[2\]\.type/);
    expect(r.stderr).toMatch(/misnamed\.json: .*other-id\.json/);
    expect(r.stderr).toMatch(/garbage\.json: error FLOW_SCHEMA/);
    expect(r.stdout).not.toMatch(/broken|misnamed|garbage/);

    for (const f of ['broken.json', 'misnamed.json', 'garbage.json']) rmSync(path.join(dir, f));
    const again = await runInProcess(['flows', 'import', dir], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('0 created, 0 updated, 3 unchanged, 0 failed');

    await withStore(dataDir, async (s) => {
      expect((await s.getFlow('alpha'))?.name).toBe('Alpha renamed');
      expect((await s.getFlow('gamma'))?.draft).toMatchObject({ id: 'gamma', settings: { priority: 'normal' } });
      expect(await s.getFlow('broken')).toBeNull();
      expect(await s.getFlow('other-id')).toBeNull();
      expect((await s.listAudit({ targetId: 'alpha' })).items.map((a) => [a.action, a.actor])).toEqual([['flow.import', 'cli']]);
    });
  });

  it('takes back what export wrote: drafts with errors and incomplete drafts come back as drafts, and say so', { timeout: 120_000 }, async () => {
    const { dataDir, env } = copy();
    // What the API accepts as a new draft: only a name (it adds the id).
    await withStore(dataDir, async (s) => {
      await s.createFlow({ id: 'flw_sketch', name: 'x', draft: { id: 'flw_sketch', name: 'x' } });
    });
    const out = path.join(work, 'round-trip');
    const exported = await runCli(['flows', 'export', out], env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['alpha.json', 'beta.json', 'draft-only.json', 'flw_sketch.json']);

    const target = { TRIBUTARY_DATA_DIR: path.join(work, 'round-trip-data') };
    const r = await runCli(['flows', 'import', out], target);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/draft-only\.json: created draft-only \(a draft with 3 error\(s\), listed above: `tributary flows publish` refuses it until they are fixed\)/);
    expect(r.stdout).toMatch(/flw_sketch\.json: created flw_sketch \(a draft with \d+ error\(s\)/);
    expect(r.stdout).toContain('imported 4 of 4 file(s): 4 created, 0 updated, 0 unchanged, 0 failed (2 imported as draft(s) with errors)');
    expect(r.stderr).toMatch(/draft-only\.json: error FLOW_UNKNOWN_NODE_TYPE at nodes\[2\]\.type/);
    expect(r.stderr).toMatch(/flw_sketch\.json: error FLOW_SCHEMA/);

    const originals = await withStore(dataDir, async (s) => Promise.all(['alpha', 'beta', 'draft-only', 'flw_sketch'].map(async (id) => (await s.getFlow(id))!)));
    await withStore(target.TRIBUTARY_DATA_DIR, async (s) => {
      for (const o of originals) {
        const back = await s.getFlow(o.id);
        // The name in the document is the flow's name (the API keeps them equal; the seed of draft-only does not).
        const name = (o.draft as { name?: string }).name ?? o.name;
        expect(back?.name).toBe(name);
        expect(serializeFlow(back?.draft as FlowDocumentInput)).toBe(serializeFlow({ ...(o.draft as object), id: o.id, name } as FlowDocumentInput));
      }
      expect(await s.listVersions('draft-only')).toEqual([]);
    });
    // Exported again from the new store, the files are the same, and importing them changes nothing.
    const again = path.join(work, 'round-trip-2');
    expect((await runInProcess(['flows', 'export', again], target)).code).toBe(0);
    for (const f of readdirSync(out)) expect(readFileSync(path.join(again, f), 'utf8')).toBe(readFileSync(path.join(out, f), 'utf8'));
    const second = await runInProcess(['flows', 'import', again], target);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('0 created, 0 updated, 4 unchanged, 0 failed');
  });

  it('imports one file given by its path (any file name); a missing path or a file without id or name is named with the problem', { timeout: 120_000 }, async () => {
    const { dataDir, env } = copy();
    const dir = path.join(work, 'single');
    mkdirSync(dir);
    const file = path.join(dir, 'flow.json');
    writeFileSync(file, serializeFlow(doc('from-a-file') as FlowDocumentInput));
    const r = await runCli(['flows', 'import', file], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('flow.json: created from-a-file');
    expect(r.stdout).toContain('imported 1 of 1 file(s): 1 created');
    await withStore(dataDir, async (s) => expect((await s.getFlow('from-a-file'))?.draft).toMatchObject({ id: 'from-a-file', name: 'Flow from-a-file' }));

    const missing = await runInProcess(['flows', 'import', path.join(dir, 'nope.json')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`tributary flows import: ${path.join(dir, 'nope.json')}: no such file or directory\n`);

    const nameless = path.join(dir, 'nameless.json');
    writeFileSync(nameless, JSON.stringify({ nodes: [] }));
    const bad = await runInProcess(['flows', 'import', nameless], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('nameless.json: error FLOW_SCHEMA at id: the flow has no id; every flow file needs one (export writes it)');
    expect(bad.stderr).toContain('nameless.json: error FLOW_SCHEMA at name: the flow needs a name (1 to 200 characters)');
    expect(bad.stdout).toContain('imported 0 of 1 file(s)');
  });

  it('publishes, enables and disables; refuses drafts with errors and unpublished flows', { timeout: 120_000 }, async () => {
    const { dataDir, env } = copy();
    const bad = await runInProcess(['flows', 'publish', 'draft-only'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/draft-only: error FLOW_EXPRESSION_SYNTAX at nodes\[1\]\.config\.expression/);
    expect(bad.stderr).toMatch(/draft-only: error FLOW_UNKNOWN_NODE_TYPE/);
    expect(bad.stderr).toMatch(/not published/);
    const early = await runInProcess(['flows', 'enable', 'alpha'], env);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/no published version; publish it first/);

    const pub = await runCli(['flows', 'publish', 'alpha', '--note', 'from git'], env);
    expect(pub.code, pub.stderr).toBe(0);
    expect(pub.stdout).toContain('published alpha version 1');
    const en = await runCli(['flows', 'enable', 'alpha'], env);
    expect(en.code, en.stderr).toBe(0);
    expect(en.stdout).toContain('enabled alpha (version 1)');
    await withStore(dataDir, async (s) => {
      expect(await s.listVersions('draft-only')).toEqual([]);
      expect(await s.getFlow('alpha')).toMatchObject({ enabled: true, currentVersion: 1 });
      expect((await s.getVersion('alpha', 1))?.note).toBe('from git');
    });
    const dis = await runCli(['flows', 'disable', 'alpha'], env);
    expect(dis.code, dis.stderr).toBe(0);
    await withStore(dataDir, async (s) => {
      expect((await s.getFlow('alpha'))?.enabled).toBe(false);
      expect((await s.listAudit({ targetId: 'alpha' })).items.map((a) => [a.action, a.actor])).toEqual([
        ['flow.disable', 'cli'],
        ['flow.enable', 'cli'],
        ['flow.publish', 'cli'],
      ]);
    });
  });
});
