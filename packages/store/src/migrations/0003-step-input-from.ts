import type { Migration } from './index.ts';

/**
 * A step's input is usually exactly what came before it: the run's trigger payload, or the output of
 * the one step upstream. `input_from` records that reference ('$trigger' or the upstream node id)
 * instead of a second copy of the JSON; `input` stays NULL then and reads resolve the reference (the
 * upstream node's latest attempt in the same run). Halves the bytes a typical run writes.
 */
export const migration0003: Migration = {
  id: 3,
  name: 'step-input-from',
  sql: `
ALTER TABLE steps ADD COLUMN input_from text;
`,
};
