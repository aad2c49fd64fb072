import type { Migration } from './index.ts';

/**
 * What runs carry (trigger payloads, step inputs and outputs, errors, logs, the blobs payloads over the
 * cap go to) is stored as `json`, not `jsonb`. It comes from outside: `jsonb` refuses any string with
 * the escape `\u0000` (PostgreSQL text cannot hold NUL), so a Shopify order whose note held one was
 * answered 400 and never ran, and a vendor answer holding one could not be recorded. `json` keeps the
 * text as written, every valid JSON document included, and costs less to write (no conversion to the
 * binary form). Nothing queries inside these values in SQL; they are read whole.
 */
export const migration0004: Migration = {
  id: 4,
  name: 'run-data-json',
  sql: `
ALTER TABLE runs ALTER COLUMN trigger TYPE json USING trigger::json, ALTER COLUMN error TYPE json USING error::json;
ALTER TABLE steps
  ALTER COLUMN input TYPE json USING input::json,
  ALTER COLUMN output TYPE json USING output::json,
  ALTER COLUMN error TYPE json USING error::json,
  ALTER COLUMN logs TYPE json USING logs::json;
ALTER TABLE blobs ALTER COLUMN content TYPE json USING content::json;
`,
};
