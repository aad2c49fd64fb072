import type { Row, SqlParam } from '../db.ts';
import { StoreError } from '../errors.ts';
import { clampLimit, cursorTimeSql, decodeCursor, encodeCursor } from '../cursor.ts';
import { newId } from '../ids.ts';
import { date, json, str, strOrNull, toNullableJsonParam } from '../rows.ts';
import type { AuditMethods } from '../store.ts';
import type { AuditEntry } from '../types.ts';
import type { RepoContext } from './context.ts';

const COLUMNS = 'id, at, actor, action, target_type, target_id, details, ip';

function toEntry(row: Row): AuditEntry {
  return {
    id: str(row, 'id'),
    at: date(row, 'at'),
    actor: str(row, 'actor'),
    action: str(row, 'action'),
    targetType: strOrNull(row, 'target_type'),
    targetId: strOrNull(row, 'target_id'),
    details: json(row, 'details'),
    ip: strOrNull(row, 'ip'),
  };
}

/** Append-only: the store offers no way to change or delete an audit entry. */
export function auditMethods(ctx: RepoContext): AuditMethods {
  const { db } = ctx;
  return {
    async appendAudit(input) {
      const result = await db.query(
        `INSERT INTO audit (id, at, actor, action, target_type, target_id, details, ip)
         VALUES ($1, coalesce($2::timestamptz, now()), $3, $4, $5, $6, $7::jsonb, $8) RETURNING ${COLUMNS}`,
        [
          newId('aud'),
          input.at ?? null,
          input.actor,
          input.action,
          input.targetType ?? null,
          input.targetId ?? null,
          toNullableJsonParam(input.details ?? null),
          input.ip ?? null,
        ],
      );
      const row = result.rows[0];
      if (row === undefined) throw new StoreError({ code: 'STORE_INTERNAL', message: 'INSERT returned no row' });
      return toEntry(row);
    },

    async listAudit(input = {}) {
      const limit = clampLimit(input.limit, 50, 500);
      const params: SqlParam[] = [];
      const where: string[] = [];
      const eq = (column: string, value: string | undefined): void => {
        if (value === undefined) return;
        params.push(value);
        where.push(`${column} = $${params.length}`);
      };
      eq('actor', input.actor);
      eq('action', input.action);
      eq('target_type', input.targetType);
      eq('target_id', input.targetId);
      if (input.from !== undefined) {
        params.push(input.from);
        where.push(`at >= $${params.length}`);
      }
      if (input.to !== undefined) {
        params.push(input.to);
        where.push(`at < $${params.length}`);
      }
      if (input.cursor !== undefined && input.cursor !== null) {
        const position = decodeCursor(input.cursor);
        params.push(position.at, position.id);
        where.push(`(at, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
      }
      params.push(limit + 1);
      const result = await db.query(
        `SELECT ${COLUMNS}, ${cursorTimeSql('at')} AS cursor_at FROM audit
         ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
         ORDER BY at DESC, id DESC LIMIT $${params.length}`,
        params,
      );
      const rows = result.rows.slice(0, limit);
      const last = rows[rows.length - 1];
      return {
        items: rows.map(toEntry),
        nextCursor:
          result.rows.length > limit && last !== undefined ? encodeCursor({ at: str(last, 'cursor_at'), id: str(last, 'id') }) : null,
      };
    },
  };
}
