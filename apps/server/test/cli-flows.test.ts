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

  it('imports valid files, reports every problem of the others by file, and imports nothing from them', { timeout: 90_000 }, async () => {
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

    const r = await runCli(['flows', 'import', dir], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('alpha.json: updated alpha');
    expect(r.stdout).toContain('beta.json: unchanged beta');
    expect(r.stdout).toContain('gamma.json: created gamma');
    expect(r.stdout).toContain('imported 3 of 6 file(s): 1 created, 1 updated, 1 unchanged, 3 failed');
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
