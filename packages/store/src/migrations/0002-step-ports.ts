import type { Migration } from './index.ts';

/**
 * Steps record which output ports they fired (so a replay or a resumed run routes exactly as the
 * original did) and, for steps a replay copied instead of re-running, the run they came from.
 * Both are nullable: rows written before this migration have neither.
 *
 * No new index: `listSteps` filters on run_id, the leading column of the primary key
 * (run_id, node_id, attempt), and sorts the handful of rows of one run in memory. Another index
 * on steps would cost every step write more than it saves the reads.
 */
export const migration0002: Migration = {
  id: 2,
  name: 'step-ports',
  sql: `
ALTER TABLE steps
  ADD COLUMN ports jsonb CONSTRAINT steps_ports_array CHECK (ports IS NULL OR jsonb_typeof(ports) = 'array'),
  ADD COLUMN reused_from text;
`,
};
