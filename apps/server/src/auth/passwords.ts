import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';

/** What a password must be. Long passphrases are welcome; the upper bound only keeps hashing cheap to refuse. */
export const passwordSchema = z.string().min(8, 'password must be at least 8 characters').max(256, 'password must be at most 256 characters');

/** argon2id with the library defaults (19 MiB, 2 passes, 1 lane): the OWASP baseline. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash is a failed sign-in, not a crash.
    return false;
  }
}

let dummy: Promise<string> | null = null;

/**
 * Spends the time a real verification would, so "no such user" and "wrong password" take as long
 * as each other and sign-in does not tell which e-mail addresses exist.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hash('tributary-dummy-password');
  await verify(await dummy, password).catch(() => false);
  return false;
}
