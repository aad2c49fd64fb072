import type { Migration } from './index.ts';

/**
 * Step status `waiting`: a step that asked to run again later (RETRY_LATER: a delay longer than a worker
 * is held for, a vendor job not ready yet) is recorded with the reason and the time it resumes, so the
 * run history says why a run is back in the queue. Its next try has the same attempt number and
 * replaces the record.
 *
 * The new check is added NOT VALID and validated apart: validation reads every step under a lock that
 * lets the runtime go on writing, instead of holding the table's exclusive lock for the scan.
 */
export const migration0006: Migration = {
  id: 6,
  name: 'step-waiting',
  sql: `ALTER TABLE steps DROP CONSTRAINT steps_status_check;
ALTER TABLE steps ADD CONSTRAINT steps_status_check CHECK (status IN ('running', 'succeeded', 'failed', 'skipped', 'waiting')) NOT VALID;
ALTER TABLE steps VALIDATE CONSTRAINT steps_status_check;`,
};
