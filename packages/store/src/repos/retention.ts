import type { SqlParam } from '../db.ts';
import { cursorTimeSql } from '../cursor.ts';
import { str } from '../rows.ts';
import { FINISHED_RUN_STATUSES, type PruneRunsInput, type PruneRunsResult } from '../types.ts';
import { invalidInput, type RepoContext } from './context.ts';

const FINISHED = FINISHED_RUN_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * Deletes finished runs (steps and blobs cascade) in batches of `batchSize` rows, one statement
 * per batch with no surrounding transaction: each batch holds its row locks only briefly, and on
 * PGlite other callers' statements get the connection between batches.
 *
 * A finished run is deleted when it is older than `olderThanMs`, or when it is not among the
 * `keepPerFlow` newest finished runs of its flow. Queued and running runs are never deleted.
 */
export async function pruneRuns(ctx: RepoContext, input: PruneRunsInput): Promise<PruneRunsResult> {
  const { db } = ctx;
  const batchSize = input.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw invalidInput('batchSize', 'batchSize must be a positive integer');
  if (input.olderThanMs !== undefined && !(Number.isFinite(input.olderThanMs) && input.olderThanMs >= 0)) {
    throw invalidInput('olderThanMs', 'olderThanMs must be a non-negative number');
  }
  if (input.keepPerFlow !== undefined && !(Number.isInteger(input.keepPerFlow) && input.keepPerFlow >= 0)) {
    throw invalidInput('keepPerFlow', 'keepPerFlow must be a non-negative integer');
  }
  let deletedRuns = 0;
  let batches = 0;

  async function deleteInBatches(where: string, params: SqlParam[]): Promise<void> {
    const limitParam = `$${params.length + 1}`;
    for (;;) {
      const result = await db.query(
        `DELETE FROM runs WHERE id IN (
           SELECT id FROM runs WHERE status IN (${FINISHED}) AND ${where} LIMIT ${limitParam})`,
        [...params, batchSize],
      );
      batches += 1;
      deletedRuns += result.rowCount;
      if (result.rowCount < batchSize) return;
    }
  }

  if (input.olderThanMs !== undefined) {
    const cutoff = new Date((input.now ?? new Date()).getTime() - input.olderThanMs);
    await deleteInBatches('created_at < $1', [cutoff]);
  }

  if (input.keepPerFlow !== undefined) {
    const flows = await db.query(`SELECT DISTINCT flow_id FROM runs WHERE status IN (${FINISHED})`);
    for (const flow of flows.rows) {
      const flowId = str(flow, 'flow_id');
      // The newest run beyond the ones to keep; it and everything older goes.
      const boundary = await db.query(
        `SELECT ${cursorTimeSql('created_at')} AS at, id FROM runs WHERE flow_id = $1 AND status IN (${FINISHED})
         ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`,
        [flowId, input.keepPerFlow],
      );
      const edge = boundary.rows[0];
      if (edge === undefined) continue;
      await deleteInBatches(
        `flow_id = $1 AND (created_at, id) <= ($2::timestamptz, $3)`,
        [flowId, str(edge, 'at'), str(edge, 'id')],
      );
    }
  }
  return { deletedRuns, batches };
}
