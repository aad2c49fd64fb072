import type { Store, User } from '@tributary/store';
import { z } from 'zod';
import { hashPassword } from './passwords.ts';
import { randomToken, safeEqual, sha256Hex } from './tokens.ts';

/** Settings key holding the hashed one-time setup token. */
export const SETUP_SETTING = 'auth.setup';
export const SETUP_TTL_MS = 24 * 60 * 60 * 1000;

const setupRecord = z.object({ tokenHash: z.string(), expiresAt: z.string(), usedAt: z.string().nullable() });

export interface FirstAdminDeps {
  store: Store;
  config: { adminEmail: string | undefined; adminPassword: string | undefined; publicUrl: string | undefined; host: string; port: number };
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export type FirstAdminResult =
  | { kind: 'exists' }
  | { kind: 'created'; user: User }
  | { kind: 'setup-link'; url: string; token: string; expiresAt: Date };

function nameFromEmail(email: string): string {
  return email.split('@')[0] ?? email;
}

/**
 * First start: when nobody can sign in yet, create the admin from TRIBUTARY_ADMIN_EMAIL/PASSWORD, or
 * issue a one-time setup link (`/setup?token=…`, valid 24 h, single use; stored hashed) and print it.
 */
export async function ensureFirstAdmin(deps: FirstAdminDeps, now = new Date()): Promise<FirstAdminResult> {
  const { store, config, log } = deps;
  if ((await store.countUsers({ includeDisabled: true })) > 0) return { kind: 'exists' };
  if (config.adminEmail && config.adminPassword) {
    let user: User;
    try {
      user = await store.createUser({ email: config.adminEmail, name: nameFromEmail(config.adminEmail), role: 'admin', passwordHash: await hashPassword(config.adminPassword) });
    } catch (err) {
      // Several servers starting together race to create the same admin; the loser finds it made.
      if ((err as { code?: unknown }).code === 'STORE_DUPLICATE') return { kind: 'exists' };
      throw err;
    }
    await store.appendAudit({ actor: 'system', action: 'user.create', targetType: 'user', targetId: user.id, details: { email: user.email, role: user.role, source: 'TRIBUTARY_ADMIN_EMAIL' } });
    log.info({ email: user.email }, 'created the first admin from TRIBUTARY_ADMIN_EMAIL');
    return { kind: 'created', user };
  }
  const token = randomToken(32);
  const expiresAt = new Date(now.getTime() + SETUP_TTL_MS);
  await store.setSetting({ key: SETUP_SETTING, value: { tokenHash: sha256Hex(token), expiresAt: expiresAt.toISOString(), usedAt: null }, by: 'system' });
  const base = (config.publicUrl ?? `http://${config.host}:${config.port}`).replace(/\/+$/, '');
  const url = `${base}/setup?token=${token}`;
  log.warn({ setupUrl: url, expiresAt: expiresAt.toISOString() }, `no users yet: open ${url} to create the first admin (valid 24 hours, once), or set TRIBUTARY_ADMIN_EMAIL and TRIBUTARY_ADMIN_PASSWORD`);
  return { kind: 'setup-link', url, token, expiresAt };
}

export type SetupCheck = { ok: true } | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'users-exist' };

/** Whether a setup token may create the first admin now. */
export async function checkSetupToken(store: Store, token: string, now = new Date()): Promise<SetupCheck> {
  if ((await store.countUsers({ includeDisabled: true })) > 0) return { ok: false, reason: 'users-exist' };
  const entry = await store.getSetting(SETUP_SETTING);
  const rec = setupRecord.safeParse(entry?.value);
  if (!rec.success || !safeEqual(rec.data.tokenHash, sha256Hex(token))) return { ok: false, reason: 'unknown' };
  if (rec.data.usedAt !== null) return { ok: false, reason: 'used' };
  if (Date.parse(rec.data.expiresAt) <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true };
}

/** Marks the setup token used, whatever happens next: it is single use. */
export async function markSetupTokenUsed(store: Store, now = new Date()): Promise<void> {
  const entry = await store.getSetting(SETUP_SETTING);
  const rec = setupRecord.safeParse(entry?.value);
  if (!rec.success) return;
  await store.setSetting({ key: SETUP_SETTING, value: { ...rec.data, usedAt: now.toISOString() }, by: 'system' });
}
