import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type JsonValue, type Store } from '@tributary/store';
import { verifyPassword } from '../src/auth/passwords.ts';
import { createSecretBox, loadSecretKey, parseKey } from '../src/secrets.ts';
import { runCli, runInProcess } from './cli-harness.ts';

/** `tributary users create`, `runs list|replay|cancel` and `secrets rotate`, spawned against copies of a seeded data directory. */

let work: string;
let template: string;
let oldKeyText: string;
const runs = { ok: '', failed: '' };
const CONN_SECRET = { token: 'tok-cli-rotation-secret' };

async function withStore<T>(dataDir: string, fn: (s: Store) => Promise<T>): Promise<T> {
  const s = await openStore({ dataDir });
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

let copies = 0;
function copy(extraEnv: Record<string, string> = {}): { dataDir: string; env: Record<string, string> } {
  const dataDir = path.join(work, `data-${++copies}`);
  cpSync(template, dataDir, { recursive: true });
  return { dataDir, env: { TRIBUTARY_DATA_DIR: dataDir, ...extraEnv } };
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'trb-cli-admin-'));
  template = path.join(work, 'template');
  const box = createSecretBox(loadSecretKey({ dataDir: template }));
  oldKeyText = readFileSync(path.join(template, 'secret.key'), 'utf8').trim();
  await withStore(template, async (s) => {
    const draft = { schemaVersion: 1, id: 'fl', name: 'Flow fl', trigger: 'start', nodes: [{ id: 'start', type: 'core.manual', config: {} }, { id: 'shape', type: 'core.map', config: { expression: '$' } }], edges: [{ from: 'start', to: 'shape' }] };
    await s.createFlow({ id: 'fl', name: 'Flow fl', draft: draft as JsonValue });
    await s.publish({ flowId: 'fl' });
    const ok = (await s.createRun({ flowId: 'fl', version: 1, trigger: { n: 1 }, triggerKind: 'manual' })).run;
    await s.updateRun({ id: ok.id, status: 'succeeded', startedAt: ok.createdAt, finishedAt: new Date(ok.createdAt.getTime() + 120) });
    const bad = (await s.createRun({ flowId: 'fl', version: 1, trigger: { n: 2 }, triggerKind: 'manual' })).run;
    await s.upsertStep({ runId: bad.id, nodeId: 'shape', attempt: 1, status: 'failed', input: { n: 2 }, error: { code: 'MAPPING_ERROR', kind: 'user', retryable: false, message: 'boom' }, startedAt: new Date(), finishedAt: new Date(), durationMs: 1 });
    await s.updateRun({ id: bad.id, status: 'failed', finishedAt: new Date(), error: { code: 'MAPPING_ERROR', kind: 'user', retryable: false, message: 'boom' } });
    runs.ok = ok.id;
    runs.failed = bad.id;
    await s.createConnection({ name: 'erp', connector: 'http', config: {}, secretCiphertext: box.encrypt(CONN_SECRET) });
    await s.createConnection({ name: 'plain', connector: 'http', config: {} });
  });
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('tributary users create', () => {
  it('creates a user with a generated password shown once, and refuses duplicates', { timeout: 90_000 }, async () => {
    const { dataDir, env } = copy();
    const r = await runCli(['users', 'create', '--email', 'Ops@Example.com', '--role', 'admin', '--name', 'Ops'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^created admin ops@example\.com \(usr_/);
    const password = /password: (\S+)/.exec(r.stdout)?.[1];
    expect(password?.length).toBeGreaterThanOrEqual(20);
    const dup = await runInProcess(['users', 'create', '--email', 'ops@example.com', '--role', 'viewer', '--password', 'long enough password'], env);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);
    await withStore(dataDir, async (s) => {
      const u = await s.getUserByEmail('ops@example.com');
      expect(u).toMatchObject({ role: 'admin', name: 'Ops' });
      expect(await verifyPassword(u!.passwordHash!, password!)).toBe(true);
      expect((await s.listAudit({ action: 'user.create' })).items.map((a) => a.actor)).toEqual(['cli']);
    });
  });
});

describe('tributary runs', () => {
  it('lists runs as a table or JSON lines, filtered', { timeout: 90_000 }, async () => {
    const { env } = copy();
    const table = await runCli(['runs', 'list'], env);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^RUN\s+FLOW\s+VERSION\s+STATUS\s+CREATED\s+DURATION\s+ERROR$/);
    expect(lines).toHaveLength(3);
    expect(table.stdout).toMatch(new RegExp(`${runs.failed}\\s+fl\\s+v1\\s+failed\\s+\\S+\\s+\\S+\\s+MAPPING_ERROR`));
    expect(table.stdout).toMatch(new RegExp(`${runs.ok}\\s+fl\\s+v1\\s+succeeded\\s+\\S+\\s+\\d+ms`));

    const json = await runInProcess(['runs', 'list', '--status', 'failed', '--flow', 'fl', '--json'], env);
    expect(json.code).toBe(0);
    const items = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; status: string });
    expect(items).toEqual([expect.objectContaining({ id: runs.failed, status: 'failed' })]);
  });

  it('says what to do when a running server holds the data directory', { timeout: 90_000 }, async () => {
    const { dataDir, env } = copy();
    await withStore(dataDir, async () => {
      const res = await runCli(['runs', 'list'], env);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`the data directory ${dataDir} is in use by process ${process.pid}, most likely a running \`tributary start\``);
      expect(res.stderr).toContain('stop that process first, or make the change in the designer or through the API');
    });
  });

  it('replays a run from a node, explains runs it cannot replay, and cancels the replay', { timeout: 90_000 }, async () => {
    const { dataDir, env } = copy();
    const r = await runCli(['runs', 'replay', runs.failed, '--from', 'shape'], env);
    expect(r.code, r.stderr).toBe(0);
    const newId = /queued replay (\S+) of/.exec(r.stdout)?.[1];
    expect(newId).toMatch(/^run_/);
    expect(r.stdout).toMatch(/runs it when it next starts/);
    const bad = await runInProcess(['runs', 'replay', runs.failed, '--from', 'nowhere'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/node "nowhere" is not in version 1/);
    // The replay is queued: replaying it now would run the same event twice at once.
    const early = await runInProcess(['runs', 'replay', newId!], env);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(new RegExp(`run ${newId} is queued: only a finished run can be replayed`));
    await withStore(dataDir, async (s) => {
      expect(await s.getRun(newId!)).toMatchObject({ replayOf: runs.failed, replayFromNode: 'shape', status: 'queued', version: 1 });
    });

    // Cancelled before the server starts again: it will not run; a second cancel says why not.
    const cancel = await runInProcess(['runs', 'cancel', newId!], env);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toBe(`cancelled run ${newId} (flow fl)\n`);
    const again = await runInProcess(['runs', 'cancel', newId!], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(new RegExp(`run ${newId} is cancelled: only a queued, running or waiting run can be cancelled`));
    await withStore(dataDir, async (s) => {
      expect(await s.getRun(newId!)).toMatchObject({ status: 'cancelled', error: { code: 'RUN_CANCELLED', message: expect.stringMatching(/^cancelled by the command line \(/) } });
      expect((await s.listAudit({ action: 'run.cancel' })).items).toMatchObject([{ actor: 'cli', targetId: newId, details: { via: 'cli', flowId: 'fl' } }]);
    });
  });
});

describe('tributary secrets rotate', () => {
  it('re-encrypts every secret under a generated key and replaces the key file (0600)', { timeout: 90_000 }, async () => {
    const { dataDir, env } = copy();
    const r = await runCli(['secrets', 'rotate'], env);
    expect(r.code, r.stderr).toBe(0);
    const oldBox = createSecretBox(parseKey(oldKeyText));
    const keyFile = path.join(dataDir, 'secret.key');
    const newKey = parseKey(readFileSync(keyFile, 'utf8'));
    const newBox = createSecretBox(newKey);
    expect(newBox.keyId).not.toBe(oldBox.keyId);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(existsSync(`${keyFile}.new`)).toBe(false);
    expect(r.stdout).toContain(`re-encrypted 1 connection secret(s) from key ${oldBox.keyId} to key ${newBox.keyId}`);
    expect(r.stdout).toContain(`wrote the new key to ${keyFile}`);
    expect(r.stdout).not.toContain(CONN_SECRET.token);
    await withStore(dataDir, async (s) => {
      const erp = await s.getConnectionByName('erp');
      expect(newBox.decrypt(erp!.secretCiphertext!)).toEqual(CONN_SECRET);
      expect(() => oldBox.decrypt(erp!.secretCiphertext!)).toThrow(/sealed with key/);
      expect((await s.getConnectionByName('plain'))?.secretCiphertext).toBeNull();
      expect((await s.listAudit({ action: 'secrets.rotate' })).items[0]?.details).toMatchObject({ from: oldBox.keyId, to: newBox.keyId, rotated: 1 });
    });
  });

  it('with TRIBUTARY_SECRET_KEY, uses --new-key and prints what to set', { timeout: 90_000 }, async () => {
    const { dataDir, env } = copy({ TRIBUTARY_SECRET_KEY: oldKeyText });
    const given = randomBytes(32).toString('hex');
    const r = await runInProcess(['secrets', 'rotate', '--new-key', given], env);
    expect(r.code, r.stderr).toBe(0);
    const newBox = createSecretBox(parseKey(given));
    expect(r.stdout).toContain(`Set TRIBUTARY_SECRET_KEY=${Buffer.from(given, 'hex').toString('base64')}`);
    expect(readFileSync(path.join(dataDir, 'secret.key'), 'utf8').trim()).toBe(oldKeyText);
    expect(existsSync(path.join(dataDir, 'secret.key.new'))).toBe(false);
    await withStore(dataDir, async (s) => {
      expect(newBox.decrypt((await s.getConnectionByName('erp'))!.secretCiphertext!)).toEqual(CONN_SECRET);
    });
  });

  it('changes nothing when a secret cannot be decrypted with the current key', { timeout: 90_000 }, async () => {
    const { dataDir, env } = copy();
    await withStore(dataDir, async (s) => {
      await s.createConnection({ name: 'stray', connector: 'http', config: {}, secretCiphertext: createSecretBox(randomBytes(32)).encrypt({ token: 'x' }) });
    });
    const before = await withStore(dataDir, async (s) => (await s.getConnectionByName('erp'))!.secretCiphertext);
    const r = await runInProcess(['secrets', 'rotate'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot decrypt stray/);
    expect(r.stderr).toMatch(/nothing was changed/);
    expect(readFileSync(path.join(dataDir, 'secret.key'), 'utf8').trim()).toBe(oldKeyText);
    expect(existsSync(path.join(dataDir, 'secret.key.new'))).toBe(false);
    await withStore(dataDir, async (s) => expect((await s.getConnectionByName('erp'))!.secretCiphertext).toBe(before));
  });
});
