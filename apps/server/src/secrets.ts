import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Connection } from '@tributary/store';

/**
 * Connection secrets at rest: AES-256-GCM, a fresh 12-byte IV per value, the key id in the envelope so
 * a rotation can tell old values from new. Format: `v1:<keyId>:<iv b64>:<tag b64>:<ciphertext b64>`.
 */
export interface SecretBox {
  readonly keyId: string;
  encrypt(plain: Record<string, string>): string;
  decrypt(envelope: string): Record<string, string>;
}

export class SecretKeyError extends Error {
  readonly code = 'SECRET_KEY_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

export function parseKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new SecretKeyError('TRIBUTARY_SECRET_KEY must be 32 bytes, given as 64 hex digits or base64');
  return key;
}

/** The key from TRIBUTARY_SECRET_KEY, or from `<dataDir>/secret.key` (created with mode 0600 on first start). */
export function loadSecretKey(opts: { secretKey?: string | undefined; dataDir: string }): Buffer {
  if (opts.secretKey) return parseKey(opts.secretKey);
  const file = path.join(opts.dataDir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(opts.dataDir, { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  return parseKey(readFileSync(file, 'utf8'));
}

export function keyIdOf(key: Buffer): string {
  // Not a secret: a short fingerprint so envelopes say which key sealed them.
  return createCipheriv('aes-256-gcm', key, Buffer.alloc(12)).update(Buffer.alloc(16)).toString('hex').slice(0, 8);
}

export function createSecretBox(key: Buffer): SecretBox {
  const keyId = keyIdOf(key);
  return {
    keyId,
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(JSON.stringify(plain), 'utf8'), c.final()]);
      return ['v1', keyId, iv.toString('base64'), c.getAuthTag().toString('base64'), body.toString('base64')].join(':');
    },
    decrypt(envelope) {
      const [v, kid, iv, tag, body] = envelope.split(':');
      if (v !== 'v1' || !iv || !tag || body === undefined) throw new SecretKeyError('stored secret is not in a format this server knows');
      if (kid !== keyId) throw new SecretKeyError(`stored secret was sealed with key ${kid}, not the current key ${keyId}; run \`tributary secrets rotate\` with the old key`);
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      d.setAuthTag(Buffer.from(tag, 'base64'));
      const text = Buffer.concat([d.update(Buffer.from(body, 'base64')), d.final()]).toString('utf8');
      return JSON.parse(text) as Record<string, string>;
    },
  };
}

/** A stored connection secret the current key cannot open. */
export interface UnreadableSecret {
  connection: string;
  /** The key id in the envelope (null when the envelope is not one this server knows). */
  keyId: string | null;
  message: string;
}

/**
 * Every stored connection secret `box` cannot decrypt. With a wrong key that is all of them; after an
 * interrupted rotation, those already sealed with the new key.
 */
export async function unreadableSecrets(store: { listConnections(): Promise<Connection[]> }, box: SecretBox): Promise<UnreadableSecret[]> {
  const bad: UnreadableSecret[] = [];
  for (const c of await store.listConnections()) {
    if (!c.secretCiphertext) continue;
    try {
      box.decrypt(c.secretCiphertext);
    } catch (err) {
      const kid = c.secretCiphertext.split(':')[1];
      bad.push({ connection: c.name, keyId: kid !== undefined && /^[0-9a-f]{8}$/.test(kid) ? kid : null, message: (err as Error).message });
    }
  }
  return bad;
}

/**
 * Why a process refuses to start when its key cannot read the stored secrets: every connector step and
 * signed webhook of those connections would fail, each with a bare 500, until the key is fixed.
 */
export function keyMismatchMessage(opts: { bad: readonly UnreadableSecret[]; keyId: string; keySource: string; pendingRotation: boolean }): string {
  const names = opts.bad.map((b) => b.connection);
  const shown = names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
  const sealedWith = [...new Set(opts.bad.map((b) => b.keyId).filter((k): k is string => k !== null))];
  const lines = [
    `the secret key (${opts.keySource}, key id ${opts.keyId}) cannot decrypt the stored secrets of ${names.length} connection(s): ${shown}` +
      (sealedWith.length ? ` (sealed with key id ${sealedWith.join(', ')})` : ''),
    opts.pendingRotation
      ? 'A `tributary secrets rotate` was interrupted: run it again (same environment) to finish it, then start again.'
      : 'Start with the key that encrypted them (the same TRIBUTARY_SECRET_KEY or secret.key on every server and worker). To change the key, start with the old one and run `tributary secrets rotate`.',
  ];
  return lines.join('\n');
}

/**
 * Null when `box` reads every stored connection secret; else why not and what to do. Checked before a
 * process starts (it refuses to) and by /readyz (secrets rotated under a running process).
 */
export async function secretKeyProblem(ctx: { store: { listConnections(): Promise<Connection[]> }; secrets: SecretBox; config: { secretKey: string | undefined; dataDir: string } }): Promise<string | null> {
  const bad = await unreadableSecrets(ctx.store, ctx.secrets);
  if (bad.length === 0) return null;
  const keyFile = path.join(ctx.config.dataDir, 'secret.key');
  return keyMismatchMessage({ bad, keyId: ctx.secrets.keyId, keySource: ctx.config.secretKey ? 'TRIBUTARY_SECRET_KEY' : keyFile, pendingRotation: existsSync(`${keyFile}.new`) });
}
