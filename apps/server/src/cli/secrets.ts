import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { createSecretBox, loadSecretKey, parseKey } from '../secrets.ts';
import { cliActor, cliDetails, command, err, EXIT, openCliStore, out, str, type AdminCommand } from './shared.ts';

/**
 * Re-encrypts every connection secret under a new key. Every secret is decrypted first, so one that
 * cannot be read changes nothing. The new key waits in `secret.key.new` until every secret is
 * re-encrypted (an interrupted run picks it up again and skips envelopes already under it); only then
 * does the key file change, or, with TRIBUTARY_SECRET_KEY, the value to set is printed.
 */
export const secretsRotate: AdminCommand = command({
  name: 'secrets rotate',
  usage: 'secrets rotate [--new-key KEY]',
  summary: 're-encrypt every connection secret under a new key (generated unless --new-key is given)',
  help: ['--new-key KEY   the new 32-byte key, 64 hex digits or base64 (default: a random one)'],
  options: { 'new-key': { type: 'string' } },
  positionals: [],
  async run({ values }) {
    const config = loadConfig();
    const keyFile = path.join(config.dataDir, 'secret.key');
    const pendingFile = `${keyFile}.new`;
    const oldKey = loadSecretKey({ secretKey: config.secretKey, dataDir: config.dataDir });
    let newKey: Buffer;
    const given = str(values, 'new-key');
    try {
      newKey = given !== undefined ? parseKey(given) : existsSync(pendingFile) ? parseKey(readFileSync(pendingFile, 'utf8')) : randomBytes(32);
    } catch (e) {
      err(`tributary secrets rotate: --new-key: ${(e as Error).message}`);
      return EXIT.USAGE;
    }
    const oldBox = createSecretBox(oldKey);
    const newBox = createSecretBox(newKey);
    if (given !== undefined && existsSync(pendingFile) && createSecretBox(parseKey(readFileSync(pendingFile, 'utf8'))).keyId !== newBox.keyId) {
      err(`tributary secrets rotate: an interrupted rotation to the key in ${pendingFile} is pending; run without --new-key to finish it first`);
      return EXIT.FAILURE;
    }
    if (oldBox.keyId === newBox.keyId) {
      err('tributary secrets rotate: the new key is the current key');
      return EXIT.USAGE;
    }
    const newKeyText = newKey.toString('base64');
    // Kept on disk until the rotation is complete, so an interrupted run can be finished.
    writeFileSync(pendingFile, `${newKeyText}\n`, { mode: 0o600 });
    chmodSync(pendingFile, 0o600);

    const { store, close } = await openCliStore(config);
    let rotated = 0;
    let already = 0;
    const failed: string[] = [];
    try {
      // Decrypt everything first: if any secret cannot be read, nothing is changed.
      const todo: Array<{ id: string; plain: Record<string, string> }> = [];
      for (const c of await store.listConnections()) {
        if (!c.secretCiphertext) continue;
        if (c.secretCiphertext.split(':')[1] === newBox.keyId) {
          already++;
          continue;
        }
        try {
          todo.push({ id: c.id, plain: oldBox.decrypt(c.secretCiphertext) });
        } catch (e) {
          failed.push(`${c.name} (${c.id}): ${(e as Error).message}`);
        }
      }
      if (failed.length === 0) {
        for (const t of todo) {
          await store.updateConnection({ id: t.id, secretCiphertext: newBox.encrypt(t.plain), by: cliActor() });
          rotated++;
        }
        await store.appendAudit({ actor: cliActor(), action: 'secrets.rotate', targetType: 'key', targetId: newBox.keyId, details: { ...cliDetails(), from: oldBox.keyId, to: newBox.keyId, rotated } });
      }
    } finally {
      await close();
    }
    if (failed.length) {
      for (const f of failed) err(`cannot decrypt ${f}`);
      // Keep the pending key only if an earlier run already sealed secrets with it.
      if (already === 0) rmSync(pendingFile, { force: true });
      err(`tributary secrets rotate: ${failed.length} secret(s) cannot be decrypted with the current key ${oldBox.keyId}; nothing was changed.`);
      return EXIT.FAILURE;
    }
    out(`re-encrypted ${rotated} connection secret(s) from key ${oldBox.keyId} to key ${newBox.keyId}${already ? ` (${already} already under the new key)` : ''}`);
    if (config.secretKey) {
      rmSync(pendingFile, { force: true });
      out(`Set TRIBUTARY_SECRET_KEY=${newKeyText}\non every server and worker, then restart them. The old key no longer decrypts anything.`);
    } else {
      renameSync(pendingFile, keyFile);
      chmodSync(keyFile, 0o600);
      out(`wrote the new key to ${keyFile} (mode 0600). Restart the server and workers so they use it.`);
    }
    return EXIT.OK;
  },
});

