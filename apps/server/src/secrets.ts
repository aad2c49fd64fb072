import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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
