import type { Row } from '../db.ts';
import { StoreError } from '../errors.ts';
import { dateOrNull, int, intOrNull, json, oneOf, str, strOrNull, stringArrayOrNull, storedError } from '../rows.ts';
import type { StepMethods } from '../store.ts';
import { STEP_STATUSES, type Step } from '../types.ts';
import type { RepoContext } from './context.ts';
import { SELECT_COLUMNS, stepWrite, upsertStepRows, writeBlobs } from './step-writes.ts';

function toStep(row: Row, full: boolean): Step {
  const inputBlob = strOrNull(row, 'input_blob_id');
  const outputBlob = strOrNull(row, 'output_blob_id');
  return {
    runId: str(row, 'run_id'),
    nodeId: str(row, 'node_id'),
    attempt: int(row, 'attempt'),
    status: oneOf(row, 'status', STEP_STATUSES),
    input: full && inputBlob !== null ? json(row, 'input_full') : json(row, 'input'),
    inputTruncated: inputBlob !== null,
    inputPreview: strOrNull(row, 'input_preview'),
    inputBytes: intOrNull(row, 'input_bytes'),
    output: full && outputBlob !== null ? json(row, 'output_full') : json(row, 'output'),
    outputTruncated: outputBlob !== null,
    outputPreview: strOrNull(row, 'output_preview'),
    outputBytes: intOrNull(row, 'output_bytes'),
    error: storedError(row, 'error'),
    logs: json(row, 'logs'),
    startedAt: dateOrNull(row, 'started_at'),
    finishedAt: dateOrNull(row, 'finished_at'),
    durationMs: intOrNull(row, 'duration_ms'),
    ports: stringArrayOrNull(row, 'ports'),
    reusedFrom: strOrNull(row, 'reused_from'),
  };
}

export function stepSelect(full: boolean): string {
  if (!full) return `SELECT ${SELECT_COLUMNS} FROM steps s`;
  return `SELECT ${SELECT_COLUMNS}, bi.content AS input_full, bo.content AS output_full FROM steps s
          LEFT JOIN blobs bi ON bi.id = s.input_blob_id
          LEFT JOIN blobs bo ON bo.id = s.output_blob_id`;
}

export function stepMethods(ctx: RepoContext): StepMethods {
  const { db } = ctx;

  return {
    async upsertStep(input) {
      const write = stepWrite(ctx, input);
      // One row: the statement text depends only on which fields were given, so it is prepared once per connection.
      const options = { prepare: true, returning: true };
      const rows =
        write.blobs.length === 0
          ? await upsertStepRows(db, [write], options)
          : await db.transaction(async (sql) => {
              await writeBlobs(sql, write.blobs, options);
              return upsertStepRows(sql, [write], options);
            });
      const row = rows[0];
      if (row === undefined) throw new StoreError({ code: 'STORE_INTERNAL', message: 'step upsert returned no row' });
      return toStep(row, false);
    },

    async getStep(key, options = {}) {
      const full = options.full === true;
      const result = await db.query(`${stepSelect(full)} WHERE s.run_id = $1 AND s.node_id = $2 AND s.attempt = $3`, [
        key.runId,
        key.nodeId,
        key.attempt,
      ]);
      const row = result.rows[0];
      return row === undefined ? null : toStep(row, full);
    },

    async listSteps(runId, options = {}) {
      const full = options.full === true;
      const result = await db.query(
        `${stepSelect(full)} WHERE s.run_id = $1 ORDER BY s.started_at NULLS LAST, s.node_id, s.attempt`,
        [runId],
      );
      return result.rows.map((row) => toStep(row, full));
    },
  };
}
