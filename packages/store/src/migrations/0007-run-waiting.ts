import type { Migration } from './index.ts';

/**
 * Run status `waiting`: a run that stopped at a step which runs again later (a backoff longer than a
 * worker is held for, a vendor job not ready yet) is recorded as waiting, with the reason and the time
 * it resumes in its error, instead of reading as `queued` as if it had not started. Like `queued` and
 * `running`, it is unfinished: recovery picks it up and retention never prunes it.
 *
 * As in migration 6, the new check is added NOT VALID and validated apart, so the scan does not hold
 * the table's exclusive lock.
 */
export const migration0007: Migration = {
  id: 7,
  name: 'run-waiting',
  sql: `ALTER TABLE runs DROP CONSTRAINT runs_status_check;
ALTER TABLE runs ADD CONSTRAINT runs_status_check CHECK (status IN ('queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled', 'resolved')) NOT VALID;
ALTER TABLE runs VALIDATE CONSTRAINT runs_status_check;`,
};
