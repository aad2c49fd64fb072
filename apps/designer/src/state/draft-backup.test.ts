import { describe, expect, it } from 'vitest';
import { clearDraftBackup, draftBackupKey, hasDraftBackups, readDraftBackup, writeDraftBackup } from './draft-backup.ts';
import type { BackupStorage } from './draft-backup.ts';

function memoryStorage(): BackupStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
    key: (i) => [...data.keys()][i] ?? null,
    get length() {
      return data.size;
    },
  };
}

const backup = { baseRev: 3, doc: { id: 'f', nodes: [] }, savedAt: '2026-11-23T08:00:00.000Z' };

describe('draft backups', () => {
  it('keeps a draft per user and flow until it is cleared', () => {
    const storage = memoryStorage();
    expect(writeDraftBackup(storage, { userId: 'usr_1', flowId: 'flw_1', backup })).toBe(true);
    expect(readDraftBackup(storage, 'usr_1', 'flw_1')).toEqual(backup);
    expect(readDraftBackup(storage, 'usr_2', 'flw_1')).toBeNull();
    expect(readDraftBackup(storage, 'usr_1', 'flw_2')).toBeNull();
    expect(hasDraftBackups(storage, 'usr_1')).toBe(true);
    expect(hasDraftBackups(storage, 'usr_2')).toBe(false);
    clearDraftBackup(storage, 'usr_1', 'flw_1');
    expect(readDraftBackup(storage, 'usr_1', 'flw_1')).toBeNull();
    expect(hasDraftBackups(storage, 'usr_1')).toBe(false);
  });

  it('drops an entry it cannot read instead of failing the editor', () => {
    const storage = memoryStorage();
    storage.setItem(draftBackupKey('usr_1', 'flw_1'), '{"doc": 1');
    expect(readDraftBackup(storage, 'usr_1', 'flw_1')).toBeNull();
    expect(storage.data.size).toBe(0);
  });

  it('reports a full storage as not written', () => {
    const storage = memoryStorage();
    storage.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    expect(writeDraftBackup(storage, { userId: 'usr_1', flowId: 'flw_1', backup })).toBe(false);
  });

  it('a user id that is a prefix of another does not see its drafts', () => {
    const storage = memoryStorage();
    writeDraftBackup(storage, { userId: 'usr_10', flowId: 'flw_1', backup });
    expect(hasDraftBackups(storage, 'usr_1')).toBe(false);
  });
});
