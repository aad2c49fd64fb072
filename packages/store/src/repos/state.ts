import type { Row } from '../db.ts';
import { StoreError } from '../errors.ts';
import { date, json, str, strOrNull, toJsonParam } from '../rows.ts';
import type { StateMethods } from '../store.ts';
import type { FlowStateEntry, SettingEntry } from '../types.ts';
import type { RepoContext } from './context.ts';

function toState(row: Row): FlowStateEntry {
  return { flowId: str(row, 'flow_id'), key: str(row, 'key'), value: json(row, 'value'), updatedAt: date(row, 'updated_at') };
}

function toSetting(row: Row): SettingEntry {
  return { key: str(row, 'key'), value: json(row, 'value'), updatedAt: date(row, 'updated_at'), updatedBy: strOrNull(row, 'updated_by') };
}

function firstRow(rows: readonly Row[]): Row {
  const row = rows[0];
  if (row === undefined) throw new StoreError({ code: 'STORE_INTERNAL', message: 'statement returned no row' });
  return row;
}

export function stateMethods(ctx: RepoContext): StateMethods {
  const { db } = ctx;
  return {
    async getState(flowId, key) {
      const row = (await db.query('SELECT flow_id, key, value, updated_at FROM flow_state WHERE flow_id = $1 AND key = $2', [flowId, key]))
        .rows[0];
      return row === undefined ? null : toState(row);
    },

    async setState(input) {
      const result = await db.query(
        `INSERT INTO flow_state (flow_id, key, value) VALUES ($1, $2, $3::json)
         ON CONFLICT (flow_id, key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
         RETURNING flow_id, key, value, updated_at`,
        [input.flowId, input.key, toJsonParam(input.value)],
      );
      return toState(firstRow(result.rows));
    },

    async listState(flowId) {
      const result = await db.query('SELECT flow_id, key, value, updated_at FROM flow_state WHERE flow_id = $1 ORDER BY key', [flowId]);
      return result.rows.map(toState);
    },

    async resetState(flowId, key) {
      const result =
        key === undefined
          ? await db.query('DELETE FROM flow_state WHERE flow_id = $1', [flowId])
          : await db.query('DELETE FROM flow_state WHERE flow_id = $1 AND key = $2', [flowId, key]);
      return result.rowCount;
    },

    async getSetting(key) {
      const row = (await db.query('SELECT key, value, updated_at, updated_by FROM settings WHERE key = $1', [key])).rows[0];
      return row === undefined ? null : toSetting(row);
    },

    async setSetting(input) {
      const result = await db.query(
        `INSERT INTO settings (key, value, updated_by) VALUES ($1, $2::jsonb, $3)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()
         RETURNING key, value, updated_at, updated_by`,
        [input.key, toJsonParam(input.value), input.by ?? null],
      );
      return toSetting(firstRow(result.rows));
    },

    async listSettings() {
      return (await db.query('SELECT key, value, updated_at, updated_by FROM settings ORDER BY key')).rows.map(toSetting);
    },
  };
}
