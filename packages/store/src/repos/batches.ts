import type { Row, Sql, SqlParam } from '../db.ts';
import { StoreError } from '../errors.ts';
import { newId } from '../ids.ts';
import { str, strOrNull, toErrorParam } from '../rows.ts';
import { chunks, compareStrings, compositeKey, MAX_PARAMS, rowsPerStatement, valuesList } from '../sql-values.ts';
import type { BatchMethods } from '../store.ts';
import type { CreateRunInput, CreateRunResult, Run, UpdateRunInput, UpsertStepInput } from '../types.ts';
import { invalidInput, notFound, type RepoContext } from './context.ts';
import { RUN_COLUMNS, RUN_INSERT_CASTS, RUN_INSERT_COLUMNS, runInsertRow, toRun, vanished } from './runs.ts';
import {
  fitsOneStepStatement,
  later,
  mergeStepInputs,
  stepGroups,
  stepKey,
  stepUpsertStatement,
  stepWrite,
  upsertStepRows,
  writeBlobs,
  type BlobWrite,
  type StepWrite,
} from './step-writes.ts';

/**
 * Group-commit writes. The runtime collects what many concurrent webhooks or runs want written and
 * hands it over in one call: one transaction, one commit, a few multi-row statements.
 *
 * Statements here vary in text with their row count, so they go to PostgreSQL unnamed
 * (`prepare: false`): naming each variant would pile up prepared statements on every connection.
 */

const RUN_COLUMNS_WITHOUT_TRIGGER = RUN_COLUMNS.replace('trigger, ', '');
const RUN_ROWS = rowsPerStatement(RUN_INSERT_COLUMNS.length, 500);

const RUN_UPDATE_COLUMNS = [
  'id',
  'set_status',
  'status',
  'set_error',
  'error',
  'set_attempt',
  'attempt',
  'set_started_at',
  'started_at',
  'set_finished_at',
  'finished_at',
] as const;
const RUN_UPDATE_CASTS = ['text', 'bool', 'text', 'bool', 'json', 'bool', 'int', 'bool', 'timestamptz', 'bool', 'timestamptz'];
const RUN_UPDATE_ROWS = rowsPerStatement(RUN_UPDATE_COLUMNS.length, 500);

const UNPREPARED = { prepare: false } as const;

interface PlannedRun {
  /** Position in the caller's input. */
  index: number;
  id: string;
  flowId: string;
  dedupeKey: string | null;
  values: SqlParam[];
}

/** Two updates of one run as one: fields `b` gives win, as if `a` then `b` were applied. */
function mergeRunUpdates(a: UpdateRunInput, b: UpdateRunInput): UpdateRunInput {
  return {
    id: b.id,
    status: later(b.status, a.status),
    error: later(b.error, a.error),
    attempt: later(b.attempt, a.attempt),
    startedAt: later(b.startedAt, a.startedAt),
    finishedAt: later(b.finishedAt, a.finishedAt),
  };
}

function hasChanges(u: UpdateRunInput): boolean {
  return (
    u.status !== undefined || u.error !== undefined || u.attempt !== undefined || u.startedAt !== undefined || u.finishedAt !== undefined
  );
}

/**
 * One `UPDATE … FROM (VALUES …) RETURNING r.id` of `part`, its values appended to `params`. Each row
 * carries a flag per field, so fields an update leaves out keep their stored values and updates of
 * different shapes share a statement. With `guard` (an SQL boolean) nothing is updated unless it holds.
 * A cancelled run is final: its row is left as it is (a worker finishing it late does not undo the
 * cancellation), so it is not returned.
 */
function runUpdateStatement(part: readonly UpdateRunInput[], params: SqlParam[], guard?: string): string {
  const values = valuesList(
    part.map((u) => [
      u.id,
      u.status !== undefined,
      u.status ?? null,
      u.error !== undefined,
      toErrorParam(u.error),
      u.attempt !== undefined,
      u.attempt ?? null,
      u.startedAt !== undefined,
      u.startedAt ?? null,
      u.finishedAt !== undefined,
      u.finishedAt ?? null,
    ]),
    RUN_UPDATE_CASTS,
    params,
  );
  return `UPDATE runs AS r SET
         status = CASE WHEN v.set_status THEN v.status ELSE r.status END,
         error = CASE WHEN v.set_error THEN v.error ELSE r.error END,
         attempt = CASE WHEN v.set_attempt THEN v.attempt ELSE r.attempt END,
         started_at = CASE WHEN v.set_started_at THEN v.started_at ELSE r.started_at END,
         finished_at = CASE WHEN v.set_finished_at THEN v.finished_at ELSE r.finished_at END
       FROM (VALUES ${values}) AS v (${RUN_UPDATE_COLUMNS.join(', ')})
       WHERE r.id = v.id AND r.status <> 'cancelled'${guard === undefined ? '' : ` AND ${guard}`}
       RETURNING r.id`;
}

/** Run updates in id order (one lock order for every batch), split into those that change something and those that do not. */
function sortRunUpdates(updates: readonly UpdateRunInput[]): { changing: UpdateRunInput[]; ids: string[] } {
  const sorted = [...updates].sort((a, b) => compareStrings(a.id, b.id));
  return { changing: sorted.filter(hasChanges), ids: sorted.map((u) => u.id) };
}

/** Throws STORE_NOT_FOUND naming every run of `ids` the statements did not find. */
function requireFound(ids: readonly string[], rows: readonly Row[]): void {
  const found = new Set(rows.map((row) => str(row, 'id')));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) throw notFound('run', { field: 'runId', runIds: missing });
}

/**
 * Applies run updates with one `UPDATE … FROM (VALUES …)` per RUN_UPDATE_ROWS runs. Throws
 * STORE_NOT_FOUND naming every run that does not exist.
 */
async function updateRuns(sql: Sql, updates: readonly UpdateRunInput[]): Promise<void> {
  const { changing, ids } = sortRunUpdates(updates);
  const rows: Row[] = [];
  for (const part of chunks(changing, RUN_UPDATE_ROWS)) {
    const params: SqlParam[] = [];
    rows.push(...(await sql.query(runUpdateStatement(part, params), params, UNPREPARED)).rows);
  }
  // Runs without fields to write (like updateRun without fields) and cancelled runs the update left
  // alone are not returned: they must exist all the same.
  const returned = new Set(rows.map((row) => str(row, 'id')));
  const unseen = ids.filter((id) => !returned.has(id));
  if (unseen.length > 0) rows.push(...(await sql.query('SELECT id FROM runs WHERE id = ANY($1::text[])', [unseen])).rows);
  requireFound(ids, rows);
}

/**
 * A progress batch without blobs that fits one statement of each kind, written as ONE statement:
 * the step upserts and the run update as data-modifying CTEs. A single statement is atomic by
 * itself, so there is no BEGIN/COMMIT: one round trip to PostgreSQL where the transaction took four,
 * and two fewer protocol exchanges with PGlite. Every write is guarded by `chk` (all the runs to
 * update exist), so a batch naming a missing run writes nothing, as the transaction's rollback did;
 * the statement answers `ok`. Undefined when the batch does not fit.
 */
function progressStatement(writes: readonly StepWrite[], updates: readonly UpdateRunInput[]): { text: string; params: SqlParam[]; ids: string[] } | undefined {
  const groups = stepGroups(writes);
  const { changing, ids } = sortRunUpdates(updates);
  if (!groups.every((g) => fitsOneStepStatement(g.rows)) || changing.length > RUN_UPDATE_ROWS) return undefined;
  const params: SqlParam[] = [];
  const ctes: string[] = [];
  let guard: string | undefined;
  if (ids.length > 0) {
    params.push(ids);
    ctes.push(`chk AS (SELECT count(*) = ${ids.length} AS ok FROM runs WHERE id = ANY($${params.length}::text[]))`);
    guard = '(SELECT ok FROM chk)';
  }
  groups.forEach((g, i) => ctes.push(`s${i} AS (${stepUpsertStatement(g.rows, g.updated, params, false, guard)})`));
  if (changing.length > 0) ctes.push(`r AS (${runUpdateStatement(changing, params, guard)})`);
  if (params.length > MAX_PARAMS) return undefined;
  return { text: `WITH ${ctes.join(',\n')}\n${guard === undefined ? 'SELECT true AS ok' : 'SELECT ok FROM chk'}`, params, ids };
}

export function batchMethods(ctx: RepoContext, single: { createRun: (input: CreateRunInput) => Promise<CreateRunResult> }): BatchMethods {
  const { db } = ctx;

  return {
    async createRuns(inputs) {
      const first = inputs[0];
      if (first === undefined) return [];
      // A single INSERT is atomic on its own; skip BEGIN/COMMIT and use the prepared statement.
      if (inputs.length === 1) return [await single.createRun(first)];

      // Inputs sharing (flowId, dedupeKey) with an earlier input of the batch take its result.
      const firstWithKey = new Map<string, number>();
      const owner: number[] = [];
      const planned: PlannedRun[] = [];
      for (const [index, input] of inputs.entries()) {
        const dedupeKey = input.dedupeKey ?? null;
        if (dedupeKey !== null) {
          const key = compositeKey(input.flowId, dedupeKey);
          const earlier = firstWithKey.get(key);
          if (earlier !== undefined) {
            owner.push(earlier);
            continue;
          }
          firstWithKey.set(key, index);
        }
        owner.push(index);
        const id = input.id ?? newId('run');
        planned.push({ index, id, flowId: input.flowId, dedupeKey, values: runInsertRow(input, id) });
      }
      // Every batch inserts keyed rows in the same order. An insert that meets another transaction's
      // uncommitted row with the same key waits for it; with one global order no two batches can
      // wait on each other (no deadlock between overlapping batches).
      planned.sort((a, b) => {
        if (a.dedupeKey === null || b.dedupeKey === null) return (a.dedupeKey === null ? 1 : 0) - (b.dedupeKey === null ? 1 : 0);
        return compareStrings(compositeKey(a.flowId, a.dedupeKey), compositeKey(b.flowId, b.dedupeKey));
      });

      const results = await db.transaction(async (sql) => {
        const byIndex = new Map<number, CreateRunResult>();
        for (const part of chunks(planned, RUN_ROWS)) {
          const params: SqlParam[] = [];
          const values = valuesList(
            part.map((p) => p.values),
            RUN_INSERT_CASTS,
            params,
          );
          const inserted = await sql.query(
            `INSERT INTO runs (${RUN_INSERT_COLUMNS.join(', ')}) VALUES ${values}
             ON CONFLICT (flow_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
             RETURNING ${RUN_COLUMNS_WITHOUT_TRIGGER}`,
            params,
            UNPREPARED,
          );
          // The trigger payload is what the caller just gave us: reading it back would parse it again.
          const byId = new Map<string, Run>();
          const triggers = new Map(part.map((p) => [p.id, inputs[p.index]!.trigger]));
          for (const row of inserted.rows) {
            const run = toRun({ ...row, trigger: null });
            run.trigger = triggers.get(run.id) ?? null;
            byId.set(run.id, run);
          }
          for (const p of part) {
            const run = byId.get(p.id);
            if (run !== undefined) byIndex.set(p.index, { run, created: true });
          }
        }

        // The rest lost their dedupe key to a run committed earlier (or just now: DO NOTHING waited
        // for it). Under READ COMMITTED this new statement's snapshot sees those runs.
        const lost = planned.filter((p) => !byIndex.has(p.index));
        if (lost.length > 0) {
          const flowIds: string[] = [];
          const keys: string[] = [];
          for (const p of lost) {
            if (p.dedupeKey === null) {
              throw new StoreError({ code: 'STORE_INTERNAL', message: `run ${p.id} without a dedupe key was not inserted` });
            }
            flowIds.push(p.flowId);
            keys.push(p.dedupeKey);
          }
          const existing = await sql.query(
            `SELECT ${RUN_COLUMNS} FROM runs
             WHERE dedupe_key IS NOT NULL AND (flow_id, dedupe_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
            [flowIds, keys],
          );
          const byKey = new Map<string, Run>();
          for (const row of existing.rows) {
            byKey.set(compositeKey(str(row, 'flow_id'), strOrNull(row, 'dedupe_key') ?? ''), toRun(row));
          }
          for (const p of lost) {
            const run = byKey.get(compositeKey(p.flowId, p.dedupeKey ?? ''));
            if (run === undefined) throw vanished(p.flowId, p.dedupeKey);
            byIndex.set(p.index, { run, created: false });
          }
        }
        return byIndex;
      });

      return owner.map((ownerIndex, index) => {
        const result = results.get(ownerIndex);
        if (result === undefined) throw new StoreError({ code: 'STORE_INTERNAL', message: `no result for run input ${index}` });
        return ownerIndex === index ? result : { run: result.run, created: false };
      });
    },

    async writeRunProgress(batch, options = {}) {
      // Merge first: one statement cannot upsert the same row twice, and merging in batch order
      // gives the row that the same calls one by one would have left.
      const steps = new Map<string, UpsertStepInput>();
      const runs = new Map<string, UpdateRunInput>();
      for (const entry of batch) {
        for (const step of entry.steps ?? []) {
          const key = stepKey(step);
          const earlier = steps.get(key);
          steps.set(key, earlier === undefined ? step : mergeStepInputs(earlier, step));
        }
        const run = entry.run;
        if (run !== undefined) {
          if (run.expectStatus !== undefined) {
            throw invalidInput('expectStatus', `writeRunProgress cannot guard on expectStatus (run ${run.id}); use updateRun`);
          }
          const earlier = runs.get(run.id);
          runs.set(run.id, earlier === undefined ? run : mergeRunUpdates(earlier, run));
        }
      }
      if (steps.size === 0 && runs.size === 0) return;

      const writes = [...steps.values()].map((step) => stepWrite(ctx, step));
      const blobs = new Map<string, BlobWrite>();
      for (const write of writes) for (const blob of write.blobs) blobs.set(blob.id, blob);

      const single = blobs.size === 0 && options.durable !== false ? progressStatement(writes, [...runs.values()]) : undefined;
      if (single !== undefined) {
        const [answer] = (await db.query(single.text, single.params, UNPREPARED)).rows;
        if (answer?.['ok'] === true) return;
        // Nothing was written: name the runs that are missing.
        requireFound(single.ids, (await db.query('SELECT id FROM runs WHERE id = ANY($1::text[])', [single.ids])).rows);
        throw new StoreError({ code: 'STORE_CONFLICT', kind: 'transient', retryable: true, message: 'the runs of the batch changed while its progress was written; retry' });
      }
      await db.transaction(
        async (sql) => {
          // Blobs before the steps that point at them; runs last (no order is needed for correctness).
          if (blobs.size > 0) await writeBlobs(sql, [...blobs.values()].sort((a, b) => compareStrings(a.id, b.id)), UNPREPARED);
          if (writes.length > 0) await upsertStepRows(sql, writes, { prepare: false, returning: false });
          if (runs.size > 0) await updateRuns(sql, [...runs.values()]);
        },
        { durable: options.durable !== false },
      );
    },
  };
}
