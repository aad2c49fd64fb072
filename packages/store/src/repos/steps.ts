import type { Row } from '../db.ts';
import { StoreError } from '../errors.ts';
import { dateOrNull, int, intOrNull, json, oneOf, str, strOrNull, stringArrayOrNull, storedError } from '../rows.ts';
import type { StepMethods } from '../store.ts';
import type { JsonValue } from '../json.ts';
import { STEP_STATUSES, type Step, TRIGGER_INPUT } from '../types.ts';
import type { RepoContext } from './context.ts';
import { cutPreview, SELECT_COLUMNS, stepWrite, upsertStepRows, writeBlobs } from './step-writes.ts';

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
    inputFrom: strOrNull(row, 'input_from'),
  };
}

/**
 * Fills in the input of steps recorded as a reference (`inputFrom`): the run's trigger payload, or the
 * output of the latest attempt of the step upstream. `known` holds every step of the run when the
 * caller read them all (listSteps), so only the trigger needs another query.
 */
async function resolveInputs(ctx: RepoContext, steps: Step[], full: boolean, known?: readonly Step[]): Promise<void> {
  const { db } = ctx;
  const referencing = steps.filter((s) => s.inputFrom !== null);
  if (referencing.length === 0) return;
  for (const runId of new Set(referencing.map((s) => s.runId))) {
    const ofRun = referencing.filter((s) => s.runId === runId);
    const sources = new Map<string, Step>();
    const nodes = [...new Set(ofRun.map((s) => s.inputFrom!).filter((from) => from !== TRIGGER_INPUT))];
    if (nodes.length > 0) {
      const candidates =
        known ??
        (await db.query(`${stepSelect(full)} WHERE s.run_id = $1 AND s.node_id = ANY($2::text[])`, [runId, nodes])).rows.map((row) => toStep(row, full));
      for (const step of candidates) {
        const best = sources.get(step.nodeId);
        if (best === undefined || step.attempt > best.attempt) sources.set(step.nodeId, step);
      }
    }
    let trigger: { value: JsonValue; text: string; bytes: number } | undefined;
    if (ofRun.some((s) => s.inputFrom === TRIGGER_INPUT)) {
      const row = (await db.query('SELECT trigger FROM runs WHERE id = $1', [runId])).rows[0];
      const value = row === undefined ? null : (json(row, 'trigger') ?? null);
      const text = JSON.stringify(value);
      trigger = { value, text, bytes: Buffer.byteLength(text, 'utf8') };
    }
    for (const step of ofRun) {
      if (step.inputFrom === TRIGGER_INPUT && trigger !== undefined) {
        // Capped like any recorded payload: over the cap, the full value only with `full`.
        const over = trigger.bytes > ctx.payloadCapBytes;
        step.input = over && !full ? null : trigger.value;
        step.inputTruncated = over;
        step.inputPreview = over ? cutPreview(trigger.text, ctx.previewChars) : null;
        step.inputBytes = trigger.bytes;
        continue;
      }
      const source = sources.get(step.inputFrom!);
      if (source === undefined) continue;
      step.input = source.output;
      step.inputTruncated = source.outputTruncated;
      step.inputPreview = source.outputPreview;
      step.inputBytes = source.outputBytes;
    }
  }
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
      const step = toStep(row, false);
      await resolveInputs(ctx, [step], false);
      return step;
    },

    async getStep(key, options = {}) {
      const full = options.full === true;
      const result = await db.query(`${stepSelect(full)} WHERE s.run_id = $1 AND s.node_id = $2 AND s.attempt = $3`, [
        key.runId,
        key.nodeId,
        key.attempt,
      ]);
      const row = result.rows[0];
      if (row === undefined) return null;
      const step = toStep(row, full);
      await resolveInputs(ctx, [step], full);
      return step;
    },

    async listSteps(runId, options = {}) {
      const full = options.full === true;
      const result = await db.query(
        `${stepSelect(full)} WHERE s.run_id = $1 ORDER BY s.started_at NULLS LAST, s.node_id, s.attempt`,
        [runId],
      );
      const steps = result.rows.map((row) => toStep(row, full));
      await resolveInputs(ctx, steps, full, steps);
      return steps;
    },
  };
}
