import type { Migration } from './index.ts';

/**
 * Flow state (a connector's watermark or cursor, often a vendor's own value) is stored as `json`, like
 * run data since migration 4: `jsonb` refuses any string with the escape `\u0000`, so a vendor cursor
 * holding one made the step fail with a store error. Nothing queries inside these values in SQL.
 */
export const migration0005: Migration = {
  id: 5,
  name: 'flow-state-json',
  sql: `ALTER TABLE flow_state ALTER COLUMN value TYPE json USING value::json;`,
};
