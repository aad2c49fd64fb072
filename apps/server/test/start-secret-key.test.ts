import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '@tributary/store';
import { ConfigError, loadConfig } from '../src/config.ts';
import { startProcess } from '../src/processes.ts';
import { createSecretBox, loadSecretKey, parseKey } from '../src/secrets.ts';
import { runCli, runInProcess } from './cli-harness.ts';

/** A process refuses to start with a secret key that cannot decrypt the stored connection secrets. */

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const keyText = (): string => randomBytes(32).toString('base64');

/** A data directory whose connections `erp` and `crm` are sealed with `key` (and `plain` has no secret). */
async function seeded(key: string): Promise<string> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'trb-start-key-'));
  dirs.push(dataDir);
  const box = createSecretBox(parseKey(key));
  const store = await openStore({ dataDir });
  try {
    await store.createConnection({ name: 'erp', connector: 'http', config: {}, secretCiphertext: box.encrypt({ token: 'erp-token' }) });
    await store.createConnection({ name: 'crm', connector: 'http', config: {}, secretCiphertext: box.encrypt({ token: 'crm-token' }) });
    await store.createConnection({ name: 'plain', connector: 'http', config: {} });
  } finally {
    await store.close();
  }
  return dataDir;
}

const silent = new Writable({ write: (_c, _e, cb) => cb() });

async function start(env: Record<string, string>): Promise<Awaited<ReturnType<typeof startProcess>>> {
  return startProcess(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...env }), { mode: 'embedded', worker: true, http: true, logDestination: silent, sandboxPoolSize: 1 });
}

async function startError(env: Record<string, string>): Promise<unknown> {
  return start(env).then(
    async (running) => {
      await running.close();
      return null;
    },
    (e: unknown) => e,
  );
}

describe('start with the wrong secret key', () => {
  it('refuses to start, naming the connections, the key ids and what to do; the right key starts and is ready', { timeout: 90_000 }, async () => {
    const right = keyText();
    const dataDir = await seeded(right);
    const wrong = keyText();

    const error = await startError({ TRIBUTARY_DATA_DIR: dataDir, TRIBUTARY_SECRET_KEY: wrong });
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('TRIBUTARY_SECRET_KEY');
    expect(message).toContain(`key id ${createSecretBox(parseKey(wrong)).keyId}`);
    expect(message).toContain(`sealed with key id ${createSecretBox(parseKey(right)).keyId}`);
    expect(message).toMatch(/2 connection\(s\): (erp, crm|crm, erp)/);
    expect(message).toContain('tributary secrets rotate');

    // The data directory was released: the right key starts, and the server says it is ready.
    const running = await start({ TRIBUTARY_DATA_DIR: dataDir, TRIBUTARY_SECRET_KEY: right });
    try {
      const ready = await fetch(`${running.url}/readyz`);
      expect(ready.status).toBe(200);
    } finally {
      await running.close();
    }
  });

  it('reports not ready, with the reason, when secrets are sealed under another key while it runs', { timeout: 90_000 }, async () => {
    const key = keyText();
    const dataDir = await seeded(key);
    const running = await start({ TRIBUTARY_DATA_DIR: dataDir, TRIBUTARY_SECRET_KEY: key });
    try {
      expect(await (await fetch(`${running.url}/readyz`)).json()).toMatchObject({ status: 'ready', checks: { secrets: 'ok' } });
      // What a `secrets rotate` with another key, run against this store, leaves behind.
      const other = createSecretBox(parseKey(keyText()));
      const erp = (await running.ctx.store.listConnections()).find((c) => c.name === 'erp')!;
      await running.ctx.store.updateConnection({ id: erp.id, secretCiphertext: other.encrypt({ token: 'erp-token' }) });
      const res = await fetch(`${running.url}/readyz`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { status: string; checks: Record<string, string> };
      expect(body).toMatchObject({ status: 'unavailable', checks: { store: 'ok', queue: 'ok' } });
      expect(body.checks['secrets']).toContain(`cannot decrypt the stored secrets of 1 connection(s): erp (sealed with key id ${other.keyId})`);
      expect(body.checks['secrets']).toContain('Start with the key that encrypted them');
    } finally {
      await running.close();
    }
  });

  it('as the executable: exits 2 with the reason on stderr; the key file counts as the key', { timeout: 90_000 }, async () => {
    const dataDir = await seeded(keyText());
    // No TRIBUTARY_SECRET_KEY: the server would use (and here creates) <dataDir>/secret.key, which is another key.
    const res = await runCli(['start'], { TRIBUTARY_DATA_DIR: dataDir, PORT: '0' });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`tributary: the secret key (${path.join(dataDir, 'secret.key')}`);
    expect(res.stderr).toContain('cannot decrypt the stored secrets of 2 connection(s)');
    expect(res.stdout).not.toContain('Tributary is running');
  });

  it('starts after `secrets rotate` with the new key only, and says how to finish an interrupted rotation', { timeout: 120_000 }, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'trb-start-key-'));
    dirs.push(dataDir);
    const oldBox = createSecretBox(loadSecretKey({ dataDir }));
    const store = await openStore({ dataDir });
    await store.createConnection({ name: 'erp', connector: 'http', config: {}, secretCiphertext: oldBox.encrypt({ token: 't' }) });
    await store.close();
    const oldKey = loadSecretKey({ dataDir });

    const rotated = await runInProcess(['secrets', 'rotate'], { TRIBUTARY_DATA_DIR: dataDir });
    expect(rotated.code).toBe(0);
    // The key file now holds the new key: the server starts with it…
    const running = await start({ TRIBUTARY_DATA_DIR: dataDir });
    await running.close();
    // …and refuses the old one.
    expect(await startError({ TRIBUTARY_DATA_DIR: dataDir, TRIBUTARY_SECRET_KEY: oldKey.toString('base64') })).toBeInstanceOf(ConfigError);

    // An interrupted rotation (the pending key left in secret.key.new) is named as such.
    writeFileSync(path.join(dataDir, 'secret.key.new'), `${keyText()}\n`, { mode: 0o600 });
    const interrupted = await startError({ TRIBUTARY_DATA_DIR: dataDir, TRIBUTARY_SECRET_KEY: oldKey.toString('base64') });
    expect((interrupted as Error).message).toContain('was interrupted: run it again');
  });
});
