import type { Row, SqlParam } from '../db.ts';
import { StoreError } from '../errors.ts';
import { clampLimit, cursorTimeSql, decodeCursor, encodeCursor } from '../cursor.ts';
import { newId } from '../ids.ts';
import { date, json, str, strOrNull, toNullableJsonParam } from '../rows.ts';
import type { AuditMethods } from '../store.ts';
import type { AuditEntry } from '../types.ts';
import type { RepoContext } from './context.ts';
import { userDisplayNameSql } from './user-names.ts';

const COLUMNS = 'id, at, actor, action, target_type, target_id, details, ip';
/** An entry's columns (`a`) with its actor's name and e-mail (users `u`, LEFT JOINed on `actor`). */
const ENTRY_COLUMNS = `a.id, a.at, a.actor, a.action, a.target_type, a.target_id, a.details, a.ip, ${userDisplayNameSql('u')} AS actor_name, u.email AS actor_email`;

function toEntry(row: Row): AuditEntry {
  return {
    id: str(row, 'id'),
    at: date(row, 'at'),
    actor: str(row, 'actor'),
    actorName: strOrNull(row, 'actor_name'),
    actorEmail: strOrNull(row, 'actor_email'),
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
        `WITH a AS (
           INSERT INTO audit (id, at, actor, action, target_type, target_id, details, ip)
           VALUES ($1, coalesce($2::timestamptz, now()), $3, $4, $5, $6, $7::jsonb, $8) RETURNING ${COLUMNS}
         )
         SELECT ${ENTRY_COLUMNS} FROM a LEFT JOIN users u ON u.id = a.actor`,
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
        where.push(`a.${column} = $${params.length}`);
      };
      eq('actor', input.actor);
      eq('action', input.action);
      eq('target_type', input.targetType);
      eq('target_id', input.targetId);
      if (input.from !== undefined) {
        params.push(input.from);
        where.push(`a.at >= $${params.length}`);
      }
      if (input.to !== undefined) {
        params.push(input.to);
        where.push(`a.at < $${params.length}`);
      }
      if (input.cursor !== undefined && input.cursor !== null) {
        const position = decodeCursor(input.cursor);
        params.push(position.at, position.id);
        where.push(`(a.at, a.id) < ($${params.length - 1}::timestamptz, $${params.length})`);
      }
      params.push(limit + 1);
      const result = await db.query(
        `SELECT ${ENTRY_COLUMNS}, ${cursorTimeSql('a.at')} AS cursor_at FROM audit a LEFT JOIN users u ON u.id = a.actor
         ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
         ORDER BY a.at DESC, a.id DESC LIMIT $${params.length}`,
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
