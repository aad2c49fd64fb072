import type { Row, SqlParam } from '../db.ts';
import { StoreError } from '../errors.ts';
import { clampLimit, cursorTimeSql, decodeCursor, encodeCursor } from '../cursor.ts';
import { newId } from '../ids.ts';
import { bool, date, dateOrNull, int, intOrNull, json, oneOf, str, strOrNull, storedError, toErrorParam, toJsonParam } from '../rows.ts';
import type { RunMethods } from '../store.ts';
import { valuesList, type ValuesColumn } from '../sql-values.ts';
import { mergeStepInputs, stepKey, stepWrite, upsertStepRows, writeBlobs } from './step-writes.ts';
import {
  RUN_STATUSES,
  UNFINISHED_RUN_STATUSES,
  type CreateRunInput,
  type CreateRunWithStepsInput,
  type CreateRunResult,
  type UpsertStepInput,
  type Run,
  type RunId,
  type RunDurationStats,
  type RunStatsInput,
  type RunStatusCounts,
} from '../types.ts';
import { Assignments, invalidInput, notFound, type RepoContext } from './context.ts';
import { pruneRuns } from './retention.ts';

const UNFINISHED = UNFINISHED_RUN_STATUSES.map((s) => `'${s}'`).join(', ');

export const RUN_COLUMNS =
  'id, flow_id, version, status, trigger, trigger_kind, dedupe_key, priority, attempt, error, started_at, finished_at, created_at, replay_of, replay_from_node, test';

export function toRun(row: Row): Run {
  return {
    id: str(row, 'id'),
    flowId: str(row, 'flow_id'),
    version: intOrNull(row, 'version'),
    status: oneOf(row, 'status', RUN_STATUSES),
    trigger: json(row, 'trigger'),
    triggerKind: str(row, 'trigger_kind'),
    dedupeKey: strOrNull(row, 'dedupe_key'),
    priority: int(row, 'priority'),
    attempt: int(row, 'attempt'),
    error: storedError(row, 'error'),
    startedAt: dateOrNull(row, 'started_at'),
    finishedAt: dateOrNull(row, 'finished_at'),
    createdAt: date(row, 'created_at'),
    replayOf: strOrNull(row, 'replay_of'),
    replayFromNode: strOrNull(row, 'replay_from_node'),
    test: bool(row, 'test'),
  };
}

/** Columns `createRun(s)` insert, in the order of `runInsertRow`. */
export const RUN_INSERT_COLUMNS = [
  'id',
  'flow_id',
  'version',
  'status',
  'trigger',
  'trigger_kind',
  'dedupe_key',
  'priority',
  'test',
  'replay_of',
  'replay_from_node',
  'started_at',
  'created_at',
] as const;

export const RUN_INSERT_CASTS: readonly ValuesColumn[] = [
  'text',
  'text',
  'int',
  'text',
  'json',
  'text',
  'text',
  'int',
  'bool',
  'text',
  'text',
  'timestamptz',
  (p) => `coalesce(${p}::timestamptz, now())`,
];

export function runInsertRow(input: CreateRunInput, id: RunId): SqlParam[] {
  return [
    id,
    input.flowId,
    input.version ?? null,
    input.status ?? 'queued',
    toJsonParam(input.trigger),
    input.triggerKind,
    input.dedupeKey ?? null,
    input.priority ?? 0,
    input.test ?? false,
    input.replayOf ?? null,
    input.replayFromNode ?? null,
    input.startedAt ?? null,
    input.createdAt ?? null,
  ];
}

/** The run that won a dedupe key was deleted (pruned) before the loser could read it; callers may retry. */
export function vanished(flowId: string, dedupeKey: string | null): StoreError {
  return new StoreError({
    code: 'STORE_CONFLICT',
    kind: 'transient',
    retryable: true,
    message: `run with dedupe key ${String(dedupeKey)} vanished while deduplicating`,
    details: { flowId, dedupeKey },
  });
}

/** WHERE clause shared by the KPI queries. */
function statsFilter(input: RunStatsInput, params: SqlParam[]): string {
  const where: string[] = [];
  if (input.flowId !== undefined) {
    params.push(input.flowId);
    where.push(`flow_id = $${params.length}`);
  }
  if (input.since !== undefined) {
    params.push(input.since);
    where.push(`created_at >= $${params.length}`);
  }
  if (input.status !== undefined) {
    params.push(input.status);
    where.push(`status = ANY($${params.length}::text[])`);
  }
  if (input.test !== undefined) {
    params.push(input.test);
    where.push(`test = $${params.length}`);
  }
  return where.length === 0 ? '' : `AND ${where.join(' AND ')}`;
}

const MS = `extract(epoch FROM (finished_at - created_at)) * 1000`;

function numberOrNull(row: Row, column: string): number | null {
  const v = intOrNull(row, column);
  return v === null ? null : Math.round(v * 1000) / 1000;
}

export function runMethods(ctx: RepoContext): RunMethods {
  const { db } = ctx;

  async function getRun(id: string): Promise<Run | null> {
    const result = await db.query(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = $1`, [id]);
    const row = result.rows[0];
    return row === undefined ? null : toRun(row);
  }

  return {
    getRun,

    async createRun(input) {
      const params = runInsertRow(input, input.id ?? newId('run'));
      // DO NOTHING waits for a concurrent insert of the same key to commit, then skips; the
      // follow-up SELECT is a new statement with a new snapshot, so it sees the winner's row.
      const inserted = await db.query(insertOneRun(params), params);
      const row = inserted.rows[0];
      if (row !== undefined) return { run: toRun(row), created: true };
      const dedupeKey = input.dedupeKey ?? null;
      const existing = await db.query(`SELECT ${RUN_COLUMNS} FROM runs WHERE flow_id = $1 AND dedupe_key = $2`, [
        input.flowId,
        dedupeKey,
      ]);
      const found = existing.rows[0];
      if (found === undefined) throw vanished(input.flowId, dedupeKey);
      return { run: toRun(found), created: false };
    },

    async createRunWithSteps(input) {
      return createRunWithSteps(ctx, input);
    },

    async updateRun(input) {
      const params: SqlParam[] = [input.id];
      const set = new Assignments(params);
      if (input.status !== undefined) set.set('status', input.status);
      if (input.error !== undefined) set.set('error', toErrorParam(input.error), '::json');
      if (input.attempt !== undefined) set.set('attempt', input.attempt);
      if (input.startedAt !== undefined) set.set('started_at', input.startedAt);
      if (input.finishedAt !== undefined) set.set('finished_at', input.finishedAt);
      if (set.parts.length === 0) {
        const run = await getRun(input.id);
        if (run === null) throw notFound('run', { runId: input.id });
        return run;
      }
      let guard = '';
      if (input.expectStatus !== undefined) {
        params.push(input.expectStatus);
        guard = `AND status = ANY($${params.length}::text[])`;
      }
      const result = await db.query(`UPDATE runs SET ${set.toSql()} WHERE id = $1 ${guard} RETURNING ${RUN_COLUMNS}`, params);
      const row = result.rows[0];
      if (row !== undefined) return toRun(row);
      const current = await getRun(input.id);
      if (current === null) throw notFound('run', { runId: input.id });
      throw new StoreError({
        code: 'STORE_CONFLICT',
        message: `run ${input.id} is ${current.status}, expected ${(input.expectStatus ?? []).join(' or ')}`,
        details: { runId: input.id, status: current.status, expectStatus: input.expectStatus },
      });
    },

    async listRuns(input = {}) {
      const limit = clampLimit(input.limit, 50, 500);
      const params: SqlParam[] = [];
      const where: string[] = [];
      if (input.flowId !== undefined) {
        params.push(input.flowId);
        where.push(`flow_id = $${params.length}`);
      }
      if (input.status !== undefined) {
        if (input.status.length === 0) return { items: [], nextCursor: null };
        params.push(input.status);
        where.push(`status = ANY($${params.length}::text[])`);
      }
      if (input.from !== undefined) {
        params.push(input.from);
        where.push(`created_at >= $${params.length}`);
      }
      if (input.to !== undefined) {
        params.push(input.to);
        where.push(`created_at < $${params.length}`);
      }
      if (input.test !== undefined) {
        params.push(input.test);
        where.push(`test = $${params.length}`);
      }
      if (input.cursor !== undefined && input.cursor !== null) {
        const position = decodeCursor(input.cursor);
        params.push(position.at, position.id);
        where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
      }
      params.push(limit + 1);
      const result = await db.query(
        `SELECT ${RUN_COLUMNS}, ${cursorTimeSql('created_at')} AS cursor_at FROM runs
         ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
         ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
        params,
      );
      const rows = result.rows.slice(0, limit);
      const last = rows[rows.length - 1];
      const nextCursor =
        result.rows.length > limit && last !== undefined
          ? encodeCursor({ at: str(last, 'cursor_at'), id: str(last, 'id') })
          : null;
      return { items: rows.map(toRun), nextCursor };
    },

    async unfinishedRuns(options = {}) {
      const limit = clampLimit(options.limit, 10_000, 100_000);
      const result = await db.query(
        `SELECT ${RUN_COLUMNS} FROM runs WHERE status IN (${UNFINISHED})
         ORDER BY created_at, id LIMIT $1`,
        [limit],
      );
      return result.rows.map(toRun);
    },

    async countRunsByStatus(input = {}) {
      const params: SqlParam[] = [];
      const result = await db.query(
        `SELECT status, count(*)::int AS n FROM runs WHERE true ${statsFilter(input, params)} GROUP BY status`,
        params,
      );
      const counts: RunStatusCounts = { queued: 0, running: 0, waiting: 0, succeeded: 0, failed: 0, cancelled: 0, resolved: 0 };
      for (const row of result.rows) counts[oneOf(row, 'status', RUN_STATUSES)] = int(row, 'n');
      return counts;
    },

    async runDurations(input = {}) {
      const limit = clampLimit(input.limit, 1000, 100_000);
      const params: SqlParam[] = [];
      const filter = statsFilter(input, params);
      params.push(limit);
      const result = await db.query(
        `SELECT id, flow_id, status, created_at, finished_at, (${MS})::float8 AS duration_ms FROM runs
         WHERE finished_at IS NOT NULL ${filter}
         ORDER BY created_at, id LIMIT $${params.length}`,
        params,
      );
      return result.rows.map((row) => ({
        runId: str(row, 'id'),
        flowId: str(row, 'flow_id'),
        status: oneOf(row, 'status', RUN_STATUSES),
        createdAt: date(row, 'created_at'),
        finishedAt: date(row, 'finished_at'),
        durationMs: int(row, 'duration_ms'),
      }));
    },

    async runDurationStats(input = {}): Promise<RunDurationStats> {
      const params: SqlParam[] = [];
      const result = await db.query(
        `SELECT count(*)::int AS n,
                avg(${MS})::float8 AS avg_ms,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY ${MS})::float8 AS p50,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY ${MS})::float8 AS p90,
                percentile_cont(0.95) WITHIN GROUP (ORDER BY ${MS})::float8 AS p95,
                percentile_cont(0.99) WITHIN GROUP (ORDER BY ${MS})::float8 AS p99,
                max(${MS})::float8 AS max_ms
         FROM runs WHERE finished_at IS NOT NULL ${statsFilter(input, params)}`,
        params,
      );
      const row = result.rows[0];
      if (row === undefined) throw new StoreError({ code: 'STORE_INTERNAL', message: 'aggregate returned no row' });
      return {
        count: int(row, 'n'),
        avgMs: numberOrNull(row, 'avg_ms'),
        p50Ms: numberOrNull(row, 'p50'),
        p90Ms: numberOrNull(row, 'p90'),
        p95Ms: numberOrNull(row, 'p95'),
        p99Ms: numberOrNull(row, 'p99'),
        maxMs: numberOrNull(row, 'max_ms'),
      };
    },

    pruneRuns: (input) => {
      if (input.olderThanMs === undefined && input.keepPerFlow === undefined) {
        return Promise.reject(invalidInput('olderThanMs', 'pruneRuns needs olderThanMs or keepPerFlow'));
      }
      return pruneRuns(ctx, input);
    },
  };
}

async function createRunWithSteps(ctx: RepoContext, input: CreateRunWithStepsInput): Promise<CreateRunResult> {
  const id = input.run.id ?? newId('run');
  const steps = new Map<string, UpsertStepInput>();
  for (const s of input.steps ?? []) {
    const step = { ...s, runId: id };
    const key = stepKey(step);
    const earlier = steps.get(key);
    steps.set(key, earlier === undefined ? step : mergeStepInputs(earlier, step));
  }
  const writes = [...steps.values()].map((step) => stepWrite(ctx, step));
  const UNPREPARED = { prepare: false } as const;
  return ctx.db.transaction(async (sql) => {
    const params = runInsertRow(input.run, id);
    const inserted = await sql.query(insertOneRun(params), params);
    const row = inserted.rows[0];
    if (row === undefined) {
      const existing = (await sql.query(`SELECT ${RUN_COLUMNS} FROM runs WHERE flow_id = $1 AND dedupe_key = $2`, [input.run.flowId, input.run.dedupeKey ?? null])).rows[0];
      if (existing === undefined) throw vanished(input.run.flowId, input.run.dedupeKey ?? null);
      // Nothing was written yet: the insert did nothing, and the claim comes after it.
      return { run: toRun(existing), created: false };
    }
    if (input.claim !== undefined) {
      // The row lock taken here makes a concurrent claim wait for this transaction, then re-check
      // the status it left: of two claims of one failed run, exactly one matches.
      const { runId, expectStatus, status } = input.claim;
      const claimed = await sql.query(
        `UPDATE runs SET status = coalesce($3::text, status) WHERE id = $1 AND status = ANY($2::text[]) RETURNING id`,
        [runId, expectStatus, status ?? null],
      );
      if (claimed.rows[0] === undefined) {
        const current = (await sql.query('SELECT status FROM runs WHERE id = $1', [runId])).rows[0];
        if (current === undefined) throw notFound('run', { runId });
        const now = oneOf(current, 'status', RUN_STATUSES);
        throw new StoreError({
          code: 'STORE_CONFLICT',
          message: `run ${runId} is ${now}, expected ${expectStatus.join(' or ')}`,
          details: { runId, status: now, expectStatus },
        });
      }
    }
    let run = toRun(row);
    if (input.outcome !== undefined) {
      const updateParams: SqlParam[] = [id];
      const set = new Assignments(updateParams);
      set.set('status', input.outcome.status);
      set.set('finished_at', input.outcome.finishedAt);
      if (input.outcome.error !== undefined) set.set('error', toErrorParam(input.outcome.error), '::json');
      if (input.outcome.attempt !== undefined) set.set('attempt', input.outcome.attempt);
      run = toRun((await sql.query(`UPDATE runs SET ${set.toSql()} WHERE id = $1 RETURNING ${RUN_COLUMNS}`, updateParams)).rows[0]!);
    }
    const blobs = writes.flatMap((w) => w.blobs);
    if (blobs.length > 0) await writeBlobs(sql, blobs, UNPREPARED);
    if (writes.length > 0) await upsertStepRows(sql, writes, { prepare: false, returning: false });
    return { run, created: true };
  });
}

/** Inserts one run; a taken dedupe key inserts nothing (no row back), and the caller reads the winner. */
function insertOneRun(params: readonly SqlParam[]): string {
  return `INSERT INTO runs (${RUN_INSERT_COLUMNS.join(', ')})
    VALUES ${valuesList([params], RUN_INSERT_CASTS, [])}
    ON CONFLICT (flow_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
    RETURNING ${RUN_COLUMNS}`;
}
