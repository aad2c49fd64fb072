import type { Row, SqlParam } from '../db.ts';
import { StoreError } from '../errors.ts';
import { newId } from '../ids.ts';
import { date, jsonObject, str, strOrNull, toJsonParam } from '../rows.ts';
import type { ConnectionMethods } from '../store.ts';
import type { Connection } from '../types.ts';
import { Assignments, notFound, type RepoContext } from './context.ts';

const COLUMNS = 'id, name, connector, config, secret_ciphertext, created_at, created_by, updated_at, updated_by';

function toConnection(row: Row): Connection {
  return {
    id: str(row, 'id'),
    name: str(row, 'name'),
    connector: str(row, 'connector'),
    config: jsonObject(row, 'config'),
    secretCiphertext: strOrNull(row, 'secret_ciphertext'),
    createdAt: date(row, 'created_at'),
    createdBy: strOrNull(row, 'created_by'),
    updatedAt: date(row, 'updated_at'),
    updatedBy: strOrNull(row, 'updated_by'),
  };
}

export function connectionMethods(ctx: RepoContext): ConnectionMethods {
  const { db } = ctx;

  async function one(where: string, value: string): Promise<Connection | null> {
    const result = await db.query(`SELECT ${COLUMNS} FROM connections WHERE ${where} = $1`, [value]);
    const row = result.rows[0];
    return row === undefined ? null : toConnection(row);
  }

  return {
    async listConnections(options = {}) {
      const params: SqlParam[] = [];
      let where = '';
      if (options.connector !== undefined) {
        params.push(options.connector);
        where = 'WHERE connector = $1';
      }
      const result = await db.query(`SELECT ${COLUMNS} FROM connections ${where} ORDER BY name`, params);
      return result.rows.map(toConnection);
    },

    getConnection: (id) => one('id', id),
    getConnectionByName: (name) => one('name', name),

    async createConnection(input) {
      const result = await db.query(
        `INSERT INTO connections (id, name, connector, config, secret_ciphertext, created_by, updated_by)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $6) RETURNING ${COLUMNS}`,
        [
          input.id ?? newId('con'),
          input.name,
          input.connector,
          toJsonParam(input.config ?? {}),
          input.secretCiphertext ?? null,
          input.by ?? null,
        ],
      );
      const row = result.rows[0];
      if (row === undefined) throw new StoreError({ code: 'STORE_INTERNAL', message: 'INSERT returned no row' });
      return toConnection(row);
    },

    async updateConnection(input) {
      const params: SqlParam[] = [input.id, input.by ?? null];
      const set = new Assignments(params);
      set.raw('updated_at = now()');
      set.raw('updated_by = $2');
      if (input.name !== undefined) set.set('name', input.name);
      if (input.config !== undefined) set.set('config', toJsonParam(input.config), '::jsonb');
      if (input.secretCiphertext !== undefined) set.set('secret_ciphertext', input.secretCiphertext);
      const result = await db.query(`UPDATE connections SET ${set.toSql()} WHERE id = $1 RETURNING ${COLUMNS}`, params);
      const row = result.rows[0];
      if (row === undefined) throw notFound('connection', { connectionId: input.id });
      return toConnection(row);
    },

    async deleteConnection(id) {
      const result = await db.query('DELETE FROM connections WHERE id = $1', [id]);
      if (result.rowCount === 0) throw notFound('connection', { connectionId: id });
    },
  };
}
