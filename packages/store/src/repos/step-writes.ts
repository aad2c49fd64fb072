import type { Row, Sql, SqlParam } from '../db.ts';
import type { JsonValue } from '../json.ts';
import { toErrorParam, toJsonParam } from '../rows.ts';
import { chunks, compareStrings, compositeKey, rowsPerStatement, valuesList } from '../sql-values.ts';
import type { UpsertStepInput } from '../types.ts';
import type { RepoContext } from './context.ts';

/**
 * Turning step upserts into rows, and writing many of them with a few multi-row statements.
 * Shared by `upsertStep` (one row) and `writeRunProgress` (a whole batch).
 */

export const STEP_COLUMNS = [
  'run_id',
  'node_id',
  'attempt',
  'status',
  'input',
  'input_preview',
  'input_bytes',
  'input_blob_id',
  'output',
  'output_preview',
  'output_bytes',
  'output_blob_id',
  'error',
  'logs',
  'started_at',
  'finished_at',
  'duration_ms',
  'ports',
  'reused_from',
  'input_from',
] as const;

export type StepColumn = (typeof STEP_COLUMNS)[number];

const STEP_TYPES: Readonly<Record<StepColumn, string>> = {
  run_id: 'text',
  node_id: 'text',
  attempt: 'int',
  status: 'text',
  input: 'json',
  input_preview: 'text',
  input_bytes: 'int',
  input_blob_id: 'text',
  output: 'json',
  output_preview: 'text',
  output_bytes: 'int',
  output_blob_id: 'text',
  error: 'json',
  logs: 'json',
  started_at: 'timestamptz',
  finished_at: 'timestamptz',
  duration_ms: 'int',
  ports: 'jsonb',
  reused_from: 'text',
  input_from: 'text',
};
const STEP_CASTS = STEP_COLUMNS.map((c) => STEP_TYPES[c]);

export const SELECT_COLUMNS = STEP_COLUMNS.map((c) => `s.${c}`).join(', ');

/** Rows per step upsert statement (20 parameters each). */
const STEP_ROWS = rowsPerStatement(STEP_COLUMNS.length, 256);
/** Blobs are large by definition (over the payload cap); keep statements of them modest. */
const BLOB_ROWS = 32;

export interface BlobWrite {
  id: string;
  runId: string;
  json: string;
  bytes: number;
}

export interface StepWrite {
  /** (runId, nodeId, attempt) as one string. */
  key: string;
  /** In STEP_COLUMNS order. */
  values: SqlParam[];
  /** Columns an existing row takes from this write; the others keep their stored values. */
  updated: readonly StepColumn[];
  blobs: BlobWrite[];
}

interface PreparedPayload {
  inline: string | null;
  preview: string | null;
  bytes: number | null;
  blob: BlobWrite | null;
}

/** The first `chars` UTF-16 units, never ending in half a surrogate pair (which is not valid UTF-8). */
export function cutPreview(text: string, chars: number): string {
  const cut = text.slice(0, chars);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

function preparePayload(
  ctx: RepoContext,
  value: JsonValue | undefined,
  blob: { id: string; runId: string },
): PreparedPayload | undefined {
  if (value === undefined) return undefined;
  const text = toJsonParam(value) ?? 'null';
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= ctx.payloadCapBytes) return { inline: text, preview: null, bytes, blob: null };
  return { inline: null, preview: cutPreview(text, ctx.previewChars), bytes, blob: { ...blob, json: text, bytes } };
}

/** An input recorded as a reference (`input_from`): nothing of it is stored on the row. */
const REFERENCED: PreparedPayload = { inline: null, preview: null, bytes: null, blob: null };

export function stepKey(input: { runId: string; nodeId: string; attempt: number }): string {
  return compositeKey(input.runId, input.nodeId, input.attempt);
}

/** The row for one upsert, with payloads over the cap moved to blobs. */
export function stepWrite(ctx: RepoContext, input: UpsertStepInput): StepWrite {
  const blobBase = `${input.runId}/${input.nodeId}/${input.attempt}`;
  // A reference replaces the copy: no input payload, and `input_from` names where it came from.
  const referenced = input.input === undefined && input.inputFrom !== undefined;
  const inputPayload = referenced ? REFERENCED : preparePayload(ctx, input.input, { id: `${blobBase}/input`, runId: input.runId });
  const outputPayload = preparePayload(ctx, input.output, { id: `${blobBase}/output`, runId: input.runId });
  const row: Record<StepColumn, SqlParam> = {
    run_id: input.runId,
    node_id: input.nodeId,
    attempt: input.attempt,
    status: input.status,
    input: inputPayload?.inline ?? null,
    input_preview: inputPayload?.preview ?? null,
    input_bytes: inputPayload?.bytes ?? null,
    input_blob_id: inputPayload?.blob?.id ?? null,
    output: outputPayload?.inline ?? null,
    output_preview: outputPayload?.preview ?? null,
    output_bytes: outputPayload?.bytes ?? null,
    output_blob_id: outputPayload?.blob?.id ?? null,
    error: toErrorParam(input.error),
    logs: toJsonParam(input.logs),
    started_at: input.startedAt ?? null,
    finished_at: input.finishedAt ?? null,
    duration_ms: input.durationMs ?? null,
    ports: input.ports === undefined || input.ports === null ? null : JSON.stringify(input.ports),
    reused_from: input.reusedFrom ?? null,
    input_from: referenced ? (input.inputFrom ?? null) : null,
  };
  // On conflict only the fields the caller gave change; the rest keep their stored values.
  const updated: StepColumn[] = ['status'];
  if (inputPayload !== undefined) updated.push('input', 'input_preview', 'input_bytes', 'input_blob_id', 'input_from');
  if (outputPayload !== undefined) updated.push('output', 'output_preview', 'output_bytes', 'output_blob_id');
  if (input.error !== undefined) updated.push('error');
  if (input.logs !== undefined) updated.push('logs');
  if (input.startedAt !== undefined) updated.push('started_at');
  if (input.finishedAt !== undefined) updated.push('finished_at');
  if (input.durationMs !== undefined) updated.push('duration_ms');
  if (input.ports !== undefined) updated.push('ports');
  if (input.reusedFrom !== undefined) updated.push('reused_from');
  const blobs: BlobWrite[] = [];
  if (inputPayload?.blob) blobs.push(inputPayload.blob);
  if (outputPayload?.blob) blobs.push(outputPayload.blob);
  return { key: stepKey(input), values: STEP_COLUMNS.map((c) => row[c]), updated, blobs };
}

/** For merging partial writes: the later value unless it was left out. */
export function later<V>(next: V | undefined, previous: V | undefined): V | undefined {
  return next === undefined ? previous : next;
}

/**
 * Two upserts of the same step as one: what `b` gives wins, what it leaves out keeps `a`'s value.
 * Writing the result once ends in the same row as writing `a`, then `b` (one statement cannot
 * update the same row twice).
 */
export function mergeStepInputs(a: UpsertStepInput, b: UpsertStepInput): UpsertStepInput {
  return {
    runId: b.runId,
    nodeId: b.nodeId,
    attempt: b.attempt,
    status: b.status,
    ...mergedInput(a, b),
    output: later(b.output, a.output),
    error: later(b.error, a.error),
    logs: later(b.logs, a.logs),
    startedAt: later(b.startedAt, a.startedAt),
    finishedAt: later(b.finishedAt, a.finishedAt),
    durationMs: later(b.durationMs, a.durationMs),
    ports: later(b.ports, a.ports),
    reusedFrom: later(b.reusedFrom, a.reusedFrom),
  };
}

/** The input of two merged upserts: `b`'s input or reference if it gives one, else `a`'s. */
function mergedInput(a: UpsertStepInput, b: UpsertStepInput): Pick<UpsertStepInput, 'input' | 'inputFrom'> {
  const from = b.input !== undefined || b.inputFrom !== undefined ? b : a;
  const out: Pick<UpsertStepInput, 'input' | 'inputFrom'> = {};
  if (from.input !== undefined) out.input = from.input;
  else if (from.inputFrom !== undefined) out.inputFrom = from.inputFrom;
  return out;
}

/** Writes blobs, several per statement. Ids must be distinct. */
export async function writeBlobs(sql: Sql, blobs: readonly BlobWrite[], options: { prepare: boolean }): Promise<void> {
  for (const part of chunks(blobs, BLOB_ROWS)) {
    const params: SqlParam[] = [];
    const values = valuesList(
      part.map((b) => [b.id, b.runId, b.bytes, b.json]),
      ['text', 'text', 'int', 'json'],
      params,
    );
    await sql.query(
      `INSERT INTO blobs (id, run_id, bytes, content) VALUES ${values}
       ON CONFLICT (id) DO UPDATE SET bytes = EXCLUDED.bytes, content = EXCLUDED.content, created_at = now()`,
      params,
      options,
    );
  }
}

/** Step writes grouped by the columns an existing row takes from them (one SET list each), in key order. */
export function stepGroups(writes: readonly StepWrite[]): Array<{ updated: readonly string[]; rows: StepWrite[] }> {
  const groups = new Map<string, StepWrite[]>();
  for (const write of writes) {
    const shape = write.updated.join(',');
    const group = groups.get(shape);
    if (group === undefined) groups.set(shape, [write]);
    else group.push(write);
  }
  return [...groups.keys()].sort(compareStrings).map((shape) => ({
    updated: shape.split(','),
    rows: (groups.get(shape) ?? []).sort((x, y) => compareStrings(x.key, y.key)),
  }));
}

/**
 * One multi-row upsert of `rows` (all of one group), its values appended to `params`. With `guard`
 * (an SQL boolean) the rows are only written when it holds.
 */
export function stepUpsertStatement(rows: readonly StepWrite[], updated: readonly string[], params: SqlParam[], returning: boolean, guard?: string): string {
  const values = valuesList(
    rows.map((w) => w.values),
    STEP_CASTS,
    params,
  );
  const source = guard === undefined ? `VALUES ${values}` : `SELECT * FROM (VALUES ${values}) AS v WHERE ${guard}`;
  return `INSERT INTO steps AS s (${STEP_COLUMNS.join(', ')}) ${source}
         ON CONFLICT (run_id, node_id, attempt) DO UPDATE SET ${updated.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
         ${returning ? `RETURNING ${SELECT_COLUMNS}` : ''}`;
}

/** Whether `stepUpsertStatement` can take a whole group in one statement. */
export function fitsOneStepStatement(rows: readonly StepWrite[]): boolean {
  return rows.length <= STEP_ROWS;
}

/**
 * Upserts steps with as few statements as possible: one multi-row INSERT … ON CONFLICT DO UPDATE
 * per set of updated columns (an upsert can only name one SET list) and per STEP_ROWS rows.
 * Keys must be distinct (merge first). Rows go in key order, so concurrent batches touching the
 * same steps lock them in the same order.
 */
export async function upsertStepRows(
  sql: Sql,
  writes: readonly StepWrite[],
  options: { prepare: boolean; returning: boolean },
): Promise<Row[]> {
  const returned: Row[] = [];
  for (const group of stepGroups(writes)) {
    for (const part of chunks(group.rows, STEP_ROWS)) {
      const params: SqlParam[] = [];
      const result = await sql.query(stepUpsertStatement(part, group.updated, params, options.returning), params, { prepare: options.prepare });
      returned.push(...result.rows);
    }
  }
  return returned;
}
