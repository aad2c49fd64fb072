import type { Row, Sql, SqlParam } from '../db.ts';
import { StoreError } from '../errors.ts';
import type { JsonValue } from '../json.ts';
import { dateOrNull, int, intOrNull, json, oneOf, str, strOrNull, storedError, toErrorParam, toJsonParam } from '../rows.ts';
import type { StepMethods } from '../store.ts';
import { STEP_STATUSES, type Step, type UpsertStepInput } from '../types.ts';
import type { RepoContext } from './context.ts';

const STEP_COLUMNS = [
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
] as const;

const SELECT_COLUMNS = STEP_COLUMNS.map((c) => `s.${c}`).join(', ');

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
  };
}

interface PreparedPayload {
  inline: string | null;
  preview: string | null;
  bytes: number;
  blob: { id: string; json: string } | null;
}

/** The first `chars` UTF-16 units, never ending in half a surrogate pair (which is not valid UTF-8). */
function cutPreview(text: string, chars: number): string {
  const cut = text.slice(0, chars);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

export function stepSelect(full: boolean): string {
  if (!full) return `SELECT ${SELECT_COLUMNS} FROM steps s`;
  return `SELECT ${SELECT_COLUMNS}, bi.content AS input_full, bo.content AS output_full FROM steps s
          LEFT JOIN blobs bi ON bi.id = s.input_blob_id
          LEFT JOIN blobs bo ON bo.id = s.output_blob_id`;
}

export function stepMethods(ctx: RepoContext): StepMethods {
  const { db } = ctx;

  function prepare(value: JsonValue | undefined, blobId: string): PreparedPayload | undefined {
    if (value === undefined) return undefined;
    const text = toJsonParam(value) ?? 'null';
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes <= ctx.payloadCapBytes) return { inline: text, preview: null, bytes, blob: null };
    return { inline: null, preview: cutPreview(text, ctx.previewChars), bytes, blob: { id: blobId, json: text } };
  }

  async function writeStep(sql: Sql, input: UpsertStepInput, payloads: { input?: PreparedPayload; output?: PreparedPayload }): Promise<Step> {
    const values: Record<(typeof STEP_COLUMNS)[number], SqlParam> = {
      run_id: input.runId,
      node_id: input.nodeId,
      attempt: input.attempt,
      status: input.status,
      input: payloads.input?.inline ?? null,
      input_preview: payloads.input?.preview ?? null,
      input_bytes: payloads.input?.bytes ?? null,
      input_blob_id: payloads.input?.blob?.id ?? null,
      output: payloads.output?.inline ?? null,
      output_preview: payloads.output?.preview ?? null,
      output_bytes: payloads.output?.bytes ?? null,
      output_blob_id: payloads.output?.blob?.id ?? null,
      error: toErrorParam(input.error),
      logs: toJsonParam(input.logs),
      started_at: input.startedAt ?? null,
      finished_at: input.finishedAt ?? null,
      duration_ms: input.durationMs ?? null,
    };
    // On conflict only the fields the caller gave change; the rest keep their stored values.
    const updated: string[] = ['status'];
    if (payloads.input !== undefined) updated.push('input', 'input_preview', 'input_bytes', 'input_blob_id');
    if (payloads.output !== undefined) updated.push('output', 'output_preview', 'output_bytes', 'output_blob_id');
    if (input.error !== undefined) updated.push('error');
    if (input.logs !== undefined) updated.push('logs');
    if (input.startedAt !== undefined) updated.push('started_at');
    if (input.finishedAt !== undefined) updated.push('finished_at');
    if (input.durationMs !== undefined) updated.push('duration_ms');
    const jsonColumns = new Set(['input', 'output', 'error', 'logs']);
    const placeholders = STEP_COLUMNS.map((c, i) => `$${i + 1}${jsonColumns.has(c) ? '::jsonb' : ''}`);
    const result = await sql.query(
      `INSERT INTO steps AS s (${STEP_COLUMNS.join(', ')}) VALUES (${placeholders.join(', ')})
       ON CONFLICT (run_id, node_id, attempt) DO UPDATE SET ${updated.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
       RETURNING ${SELECT_COLUMNS}`,
      STEP_COLUMNS.map((c) => values[c]),
    );
    const row = result.rows[0];
    if (row === undefined) throw new StoreError({ code: 'STORE_INTERNAL', message: 'step upsert returned no row' });
    return toStep(row, false);
  }

  return {
    async upsertStep(input) {
      const blobBase = `${input.runId}/${input.nodeId}/${input.attempt}`;
      const payloads = {
        input: prepare(input.input, `${blobBase}/input`),
        output: prepare(input.output, `${blobBase}/output`),
      };
      const blobs = [payloads.input?.blob, payloads.output?.blob].filter((b) => b !== null && b !== undefined);
      if (blobs.length === 0) return writeStep(db, input, payloads);
      return db.transaction(async (sql) => {
        for (const blob of blobs) {
          await sql.query(
            `INSERT INTO blobs (id, run_id, bytes, content) VALUES ($1, $2, $3, $4::jsonb)
             ON CONFLICT (id) DO UPDATE SET bytes = EXCLUDED.bytes, content = EXCLUDED.content, created_at = now()`,
            [blob.id, input.runId, Buffer.byteLength(blob.json, 'utf8'), blob.json],
          );
        }
        return writeStep(sql, input, payloads);
      });
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
