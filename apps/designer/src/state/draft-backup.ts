import { z } from 'zod';
import type { Rev } from '../api/types.ts';

/**
 * A copy of an editor's unsaved draft in the tab's sessionStorage, so the work survives what unmounts
 * the editor without saving: the session running out (the login page replaces the app), a reload.
 * Kept per user and flow; `baseRev` is the stored rev the draft was made on, so saving a restored
 * draft after someone else saved meets the usual rev conflict instead of overwriting them.
 *
 * sessionStorage rather than localStorage: one tab's draft never lands in another tab editing the
 * same flow, and closing the tab (which the editor warns about) leaves nothing behind.
 */
export interface DraftBackup {
  baseRev: Rev;
  /** The FlowDocument as JSON; parsed again (migrateFlow) before it is used. */
  doc: unknown;
  savedAt: string;
}

/** The part of the Web Storage API used here (a Map-backed stand-in in tests). */
export type BackupStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

const PREFIX = 'tributary.draft.';

const backupSchema = z.object({ baseRev: z.union([z.number(), z.string()]), doc: z.unknown(), savedAt: z.string() });

export function draftBackupKey(userId: string, flowId: string): string {
  return `${PREFIX}${encodeURIComponent(userId)}.${encodeURIComponent(flowId)}`;
}

/** The tab's sessionStorage, or null where there is none (or it is blocked). */
export function sessionBackupStorage(): BackupStorage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    // Some privacy settings throw on the mere access; the editor then works without backups.
    return null;
  }
}

/**
 * Stores the draft; returns false when the storage refused (full, blocked) — the editor still has the
 * draft in memory, only the safety net is missing.
 */
export function writeDraftBackup(storage: BackupStorage, options: { userId: string; flowId: string; backup: DraftBackup }): boolean {
  try {
    storage.setItem(draftBackupKey(options.userId, options.flowId), JSON.stringify(options.backup));
    return true;
  } catch {
    return false;
  }
}

/** The stored backup, or null; an unreadable entry is removed. */
export function readDraftBackup(storage: BackupStorage, userId: string, flowId: string): DraftBackup | null {
  const key = draftBackupKey(userId, flowId);
  const text = storage.getItem(key);
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = backupSchema.safeParse(json);
  if (!parsed.success) {
    storage.removeItem(key);
    return null;
  }
  return { baseRev: parsed.data.baseRev, doc: parsed.data.doc, savedAt: parsed.data.savedAt };
}

export function clearDraftBackup(storage: BackupStorage, userId: string, flowId: string): void {
  storage.removeItem(draftBackupKey(userId, flowId));
}

/** Whether the user has any unsaved draft kept in this storage. */
export function hasDraftBackups(storage: BackupStorage, userId: string): boolean {
  const prefix = `${PREFIX}${encodeURIComponent(userId)}.`;
  for (let i = 0; i < storage.length; i++) if (storage.key(i)?.startsWith(prefix)) return true;
  return false;
}
