import type { Row, Sql, SqlParam } from '../db.ts';
import { StoreError } from '../errors.ts';
import { newId } from '../ids.ts';
import { bool, date, dateOrNull, int, intOrNull, json, str, strOrNull, toJsonParam } from '../rows.ts';
import type { FlowMethods } from '../store.ts';
import type { Flow, FlowId, FlowVersion, FlowVersionSummary } from '../types.ts';
import { notFound, type RepoContext } from './context.ts';
import { userDisplayNameSql } from './user-names.ts';

const FLOW_COLUMNS =
  'id, name, draft, rev, enabled, current_version, created_at, created_by, updated_at, updated_by, deleted_at';

function toFlow(row: Row): Flow {
  return {
    id: str(row, 'id'),
    name: str(row, 'name'),
    draft: json(row, 'draft'),
    rev: int(row, 'rev'),
    enabled: bool(row, 'enabled'),
    currentVersion: intOrNull(row, 'current_version'),
    createdAt: date(row, 'created_at'),
    createdBy: strOrNull(row, 'created_by'),
    updatedAt: date(row, 'updated_at'),
    updatedBy: strOrNull(row, 'updated_by'),
    deletedAt: dateOrNull(row, 'deleted_at'),
  };
}

/** A version's columns (`v`) with its publisher's display name (users `u`, LEFT JOINed on `published_by`). */
const VERSION_SUMMARY_COLUMNS = `v.flow_id, v.version, v.published_at, v.published_by, v.note, ${userDisplayNameSql('u')} AS published_by_name`;
const VERSION_COLUMNS = `${VERSION_SUMMARY_COLUMNS}, v.document`;

function toVersionSummary(row: Row): FlowVersionSummary {
  return {
    flowId: str(row, 'flow_id'),
    version: int(row, 'version'),
    publishedAt: date(row, 'published_at'),
    publishedBy: strOrNull(row, 'published_by'),
    publishedByName: strOrNull(row, 'published_by_name'),
    note: strOrNull(row, 'note'),
  };
}

function toVersion(row: Row): FlowVersion {
  return { ...toVersionSummary(row), document: json(row, 'document') };
}

async function liveFlow(sql: Sql, id: FlowId): Promise<Flow | null> {
  const result = await sql.query(`SELECT ${FLOW_COLUMNS} FROM flows WHERE id = $1 AND deleted_at IS NULL`, [id]);
  const row = result.rows[0];
  return row === undefined ? null : toFlow(row);
}

export function flowMethods(ctx: RepoContext): FlowMethods {
  const { db } = ctx;

  return {
    async listFlows(options = {}) {
      const where = options.includeDeleted === true ? '' : 'WHERE deleted_at IS NULL';
      const result = await db.query(`SELECT ${FLOW_COLUMNS} FROM flows ${where} ORDER BY name, id`);
      return result.rows.map(toFlow);
    },

    async getFlow(id, options = {}) {
      const where = options.includeDeleted === true ? '' : 'AND deleted_at IS NULL';
      const result = await db.query(`SELECT ${FLOW_COLUMNS} FROM flows WHERE id = $1 ${where}`, [id]);
      const row = result.rows[0];
      return row === undefined ? null : toFlow(row);
    },

    async createFlow(input) {
      const result = await db.query(
        `INSERT INTO flows (id, name, draft, created_by, updated_by)
         VALUES ($1, $2, $3::jsonb, $4, $4)
         RETURNING ${FLOW_COLUMNS}`,
        [input.id ?? newId('flw'), input.name, toJsonParam(input.draft), input.by ?? null],
      );
      const row = result.rows[0];
      if (row === undefined) throw new StoreError({ code: 'STORE_INTERNAL', message: 'INSERT returned no row' });
      return toFlow(row);
    },

    async updateDraft(input) {
      const params: SqlParam[] = [input.id, input.rev, toJsonParam(input.draft), input.by ?? null];
      let setName = '';
      if (input.name !== undefined) {
        params.push(input.name);
        setName = `, name = $${params.length}`;
      }
      const result = await db.query(
        `UPDATE flows SET draft = $3::jsonb, rev = rev + 1, updated_at = now(), updated_by = $4${setName}
         WHERE id = $1 AND rev = $2 AND deleted_at IS NULL
         RETURNING ${FLOW_COLUMNS}`,
        params,
      );
      const row = result.rows[0];
      if (row !== undefined) return toFlow(row);
      const current = await liveFlow(db, input.id);
      if (current === null) throw notFound('flow', { flowId: input.id });
      throw new StoreError({
        code: 'STORE_CONFLICT',
        message: `flow ${input.id} was changed by someone else (rev ${input.rev} is stale, current rev is ${current.rev})`,
        details: { flowId: input.id, rev: input.rev, currentRev: current.rev },
      });
    },

    async deleteFlow(id, by) {
      const result = await db.query(
        `UPDATE flows SET deleted_at = now(), deleted_by = $2, enabled = false, updated_at = now(), updated_by = $2
         WHERE id = $1 AND deleted_at IS NULL`,
        [id, by ?? null],
      );
      if (result.rowCount === 0) throw notFound('flow', { flowId: id });
    },

    async setEnabled(input) {
      const result = await db.query(
        `UPDATE flows SET enabled = $2, updated_at = now(), updated_by = $3
         WHERE id = $1 AND deleted_at IS NULL AND ($2 = false OR current_version IS NOT NULL)
         RETURNING ${FLOW_COLUMNS}`,
        [input.id, input.enabled, input.by ?? null],
      );
      const row = result.rows[0];
      if (row !== undefined) return toFlow(row);
      if ((await liveFlow(db, input.id)) === null) throw notFound('flow', { flowId: input.id });
      throw new StoreError({
        code: 'STORE_CONFLICT',
        message: `flow ${input.id} has no published version to enable`,
        details: { flowId: input.id, reason: 'not_published' },
      });
    },

    async publish(input) {
      return db.transaction(async (sql) => {
        // The UPDATE takes the row lock and re-reads the latest row, so concurrent publishes
        // get consecutive numbers instead of colliding.
        const params: SqlParam[] = [input.flowId, input.by ?? null];
        let revCheck = '';
        if (input.rev !== undefined) {
          params.push(input.rev);
          revCheck = `AND rev = $${params.length}`;
        }
        const bumped = await sql.query(
          `UPDATE flows SET last_version = last_version + 1, current_version = last_version + 1,
             updated_at = now(), updated_by = $2
           WHERE id = $1 AND deleted_at IS NULL ${revCheck}
           RETURNING last_version`,
          params,
        );
        const row = bumped.rows[0];
        if (row === undefined) {
          const current = await liveFlow(sql, input.flowId);
          if (current === null) throw notFound('flow', { flowId: input.flowId });
          throw new StoreError({
            code: 'STORE_CONFLICT',
            message: `flow ${input.flowId} was changed since rev ${String(input.rev)} (current rev is ${current.rev})`,
            details: { flowId: input.flowId, rev: input.rev, currentRev: current.rev },
          });
        }
        const inserted = await sql.query(
          `WITH v AS (
             INSERT INTO flow_versions (flow_id, version, document, published_by, note)
             SELECT id, last_version, draft, $2, $3 FROM flows WHERE id = $1
             RETURNING flow_id, version, document, published_at, published_by, note
           )
           SELECT ${VERSION_COLUMNS} FROM v LEFT JOIN users u ON u.id = v.published_by`,
          [input.flowId, input.by ?? null, input.note ?? null],
        );
        const version = inserted.rows[0];
        if (version === undefined) throw new StoreError({ code: 'STORE_INTERNAL', message: 'INSERT returned no row' });
        return toVersion(version);
      });
    },

    async listVersions(flowId) {
      const result = await db.query(
        `SELECT ${VERSION_SUMMARY_COLUMNS} FROM flow_versions v LEFT JOIN users u ON u.id = v.published_by
         WHERE v.flow_id = $1 ORDER BY v.version DESC`,
        [flowId],
      );
      return result.rows.map(toVersionSummary);
    },

    async getVersion(flowId, version) {
      const result = await db.query(
        `SELECT ${VERSION_COLUMNS} FROM flow_versions v LEFT JOIN users u ON u.id = v.published_by
         WHERE v.flow_id = $1 AND v.version = $2`,
        [flowId, version],
      );
      const row = result.rows[0];
      return row === undefined ? null : toVersion(row);
    },
  };
}
