import { describe, expect, it } from 'vitest';
import type { JobPersistence, StoredJob } from '../local/persistence.ts';

function job(id: string, overrides: Partial<StoredJob> = {}): StoredJob {
  return {
    id,
    flowId: 'flw_contract',
    data: { orderId: id, lines: [{ sku: 'A-1', qty: 2 }], note: null },
    priority: 'normal',
    attempt: 1,
    runAt: 1_700_000_000_000,
    enqueuedAt: 1_700_000_000_000,
    ...overrides,
  };
}

function byId(jobs: readonly StoredJob[]): StoredJob[] {
  return [...jobs].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The behaviour every JobPersistence must have for the local driver to be durable.
 * `make` returns an empty persistence; `reopen` (optional) returns another handle on the same storage,
 * as a restarted process would see it.
 */
export function persistenceContract(
  name: string,
  make: () => Promise<{ persistence: JobPersistence; reopen?: () => Promise<JobPersistence>; cleanup?: () => Promise<void> }>,
): void {
  describe(`job persistence contract: ${name}`, () => {
    it('loads back what was saved, field for field', async () => {
      const { persistence, cleanup } = await make();
      try {
        const a = job('run_a');
        const b = job('run_b', { priority: 'high', attempt: 3, runAt: 1_700_000_005_000, scheduleId: 'sch_1', scheduledAt: 1_700_000_000_000 });
        await persistence.saveJob(a);
        await persistence.saveJob(b);
        expect(byId(await persistence.loadJobs())).toEqual([a, b]);
      } finally {
        await cleanup?.();
      }
    });

    it('replaces a job saved again under the same id', async () => {
      const { persistence, cleanup } = await make();
      try {
        await persistence.saveJob(job('run_a'));
        await persistence.saveJob(job('run_a', { attempt: 2, runAt: 1_700_000_009_000, data: { step: 'createSO' } }));
        expect(await persistence.loadJobs()).toEqual([job('run_a', { attempt: 2, runAt: 1_700_000_009_000, data: { step: 'createSO' } })]);
      } finally {
        await cleanup?.();
      }
    });

    it('forgets deleted jobs and ignores deleting unknown ones', async () => {
      const { persistence, cleanup } = await make();
      try {
        await persistence.saveJob(job('run_a'));
        await persistence.saveJob(job('run_b'));
        await persistence.deleteJob('run_a');
        await persistence.deleteJob('run_never_saved');
        expect((await persistence.loadJobs()).map((j) => j.id)).toEqual(['run_b']);
      } finally {
        await cleanup?.();
      }
    });

    it('keeps jobs for the next process', async () => {
      const { persistence, reopen, cleanup } = await make();
      try {
        if (reopen === undefined) return;
        await persistence.saveJob(job('run_a'));
        const again = await reopen();
        expect(await again.loadJobs()).toEqual([job('run_a')]);
      } finally {
        await cleanup?.();
      }
    });
  });
}
