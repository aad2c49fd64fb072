import type { Row, Sql, SqlParam } from '../db.ts';
import { StoreError } from '../errors.ts';
import { newId } from '../ids.ts';
import { bool, date, dateOrNull, int, oneOf, str, strOrNull } from '../rows.ts';
import type { AuthMethods } from '../store.ts';
import { USER_ROLES, type ApiToken, type Session, type UpdateUserInput, type User } from '../types.ts';
import { Assignments, notFound, type RepoContext } from './context.ts';

const USER_COLUMNS = 'id, email, name, role, password_hash, disabled, created_at, updated_at';
const SESSION_COLUMNS = 'id, user_id, expires_at, revoked_at, created_at, last_seen_at, ip, user_agent';
const TOKEN_COLUMNS = 'id, user_id, name, token_hash, created_at, last_used_at, revoked_at';

function toUser(row: Row): User {
  return {
    id: str(row, 'id'),
    email: str(row, 'email'),
    name: str(row, 'name'),
    role: oneOf(row, 'role', USER_ROLES),
    passwordHash: strOrNull(row, 'password_hash'),
    disabled: bool(row, 'disabled'),
    createdAt: date(row, 'created_at'),
    updatedAt: date(row, 'updated_at'),
  };
}

function toSession(row: Row): Session {
  return {
    id: str(row, 'id'),
    userId: str(row, 'user_id'),
    expiresAt: date(row, 'expires_at'),
    revokedAt: dateOrNull(row, 'revoked_at'),
    createdAt: date(row, 'created_at'),
    lastSeenAt: dateOrNull(row, 'last_seen_at'),
    ip: strOrNull(row, 'ip'),
    userAgent: strOrNull(row, 'user_agent'),
  };
}

function toToken(row: Row): ApiToken {
  return {
    id: str(row, 'id'),
    userId: str(row, 'user_id'),
    name: str(row, 'name'),
    tokenHash: str(row, 'token_hash'),
    createdAt: date(row, 'created_at'),
    lastUsedAt: dateOrNull(row, 'last_used_at'),
    revokedAt: dateOrNull(row, 'revoked_at'),
  };
}

function first<T>(rows: readonly Row[], map: (row: Row) => T): T {
  const row = rows[0];
  if (row === undefined) throw new StoreError({ code: 'STORE_INTERNAL', message: 'statement returned no row' });
  return map(row);
}

async function updateUserRow(sql: Sql, input: UpdateUserInput): Promise<User> {
  const params: SqlParam[] = [input.id];
  const set = new Assignments(params);
  set.raw('updated_at = now()');
  if (input.email !== undefined) set.set('email', input.email);
  if (input.name !== undefined) set.set('name', input.name);
  if (input.role !== undefined) set.set('role', input.role);
  if (input.passwordHash !== undefined) set.set('password_hash', input.passwordHash);
  if (input.disabled !== undefined) set.set('disabled', input.disabled);
  const row = (await sql.query(`UPDATE users SET ${set.toSql()} WHERE id = $1 RETURNING ${USER_COLUMNS}`, params)).rows[0];
  if (row === undefined) throw notFound('user', { userId: input.id });
  return toUser(row);
}

export function authMethods(ctx: RepoContext): AuthMethods {
  const { db } = ctx;

  async function maybe<T>(sql: string, params: SqlParam[], map: (row: Row) => T): Promise<T | null> {
    const row = (await db.query(sql, params)).rows[0];
    return row === undefined ? null : map(row);
  }

  return {
    async createUser(input) {
      const result = await db.query(
        `INSERT INTO users (id, email, name, role, password_hash, disabled) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING ${USER_COLUMNS}`,
        [input.id ?? newId('usr'), input.email, input.name ?? '', input.role, input.passwordHash ?? null, input.disabled ?? false],
      );
      return first(result.rows, toUser);
    },

    getUser: (id) => maybe(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id], toUser),
    getUserByEmail: (email) => maybe(`SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = lower($1)`, [email], toUser),

    async listUsers() {
      return (await db.query(`SELECT ${USER_COLUMNS} FROM users ORDER BY lower(email)`)).rows.map(toUser);
    },

    async updateUser(input) {
      const losesAdmin = (input.role !== undefined && input.role !== 'admin') || input.disabled === true;
      if (input.keepAnActiveAdmin !== true || !losesAdmin) return updateUserRow(db, input);
      return db.transaction(async (sql) => {
        // Lock every active admin before counting them. Under READ COMMITTED a caller that had to wait
        // re-reads the rows it waited for, so a demotion committed meanwhile drops out of its count; the
        // fixed (id) order makes concurrent callers queue on the same first row instead of deadlocking.
        const admins = (await sql.query(`SELECT id FROM users WHERE role = 'admin' AND NOT disabled ORDER BY id FOR UPDATE`)).rows.map((row) => str(row, 'id'));
        if (admins.length === 1 && admins[0] === input.id) {
          throw new StoreError({
            code: 'STORE_CONFLICT',
            message: 'the last active admin cannot be demoted or disabled',
            details: { rule: 'last-admin', userId: input.id },
          });
        }
        return updateUserRow(sql, input);
      });
    },

    async countUsers(options = {}) {
      const params: SqlParam[] = [];
      const where: string[] = [];
      if (options.role !== undefined) {
        params.push(options.role);
        where.push(`role = $${params.length}`);
      }
      if (options.includeDisabled !== true) where.push('NOT disabled');
      const result = await db.query(
        `SELECT count(*)::int AS n FROM users ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}`,
        params,
      );
      return first(result.rows, (row) => int(row, 'n'));
    },

    async createSession(input) {
      const result = await db.query(
        `INSERT INTO sessions (id, user_id, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5)
         RETURNING ${SESSION_COLUMNS}`,
        [input.id, input.userId, input.expiresAt, input.ip ?? null, input.userAgent ?? null],
      );
      return first(result.rows, toSession);
    },

    getSession: (id) => maybe(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = $1`, [id], toSession),

    async touchSession(id, at) {
      const result = await db.query('UPDATE sessions SET last_seen_at = coalesce($2::timestamptz, now()) WHERE id = $1', [
        id,
        at ?? null,
      ]);
      if (result.rowCount === 0) throw notFound('session', { sessionId: id });
    },

    async revokeSession(id) {
      const result = await db.query('UPDATE sessions SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1', [id]);
      if (result.rowCount === 0) throw notFound('session', { sessionId: id });
    },

    async revokeUserSessions(userId) {
      const result = await db.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [
        userId,
      ]);
      return result.rowCount;
    },

    async deleteExpiredSessions(before) {
      return (await db.query('DELETE FROM sessions WHERE expires_at < $1', [before])).rowCount;
    },

    async createApiToken(input) {
      const result = await db.query(
        `INSERT INTO api_tokens (id, user_id, name, token_hash) VALUES ($1, $2, $3, $4) RETURNING ${TOKEN_COLUMNS}`,
        [input.id ?? newId('tok'), input.userId, input.name, input.tokenHash],
      );
      return first(result.rows, toToken);
    },

    getApiTokenByHash: (tokenHash) =>
      maybe(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1`, [tokenHash], toToken),

    async listApiTokens(userId) {
      return (
        await db.query(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id`, [userId])
      ).rows.map(toToken);
    },

    async touchApiToken(id, at) {
      const result = await db.query('UPDATE api_tokens SET last_used_at = coalesce($2::timestamptz, now()) WHERE id = $1', [
        id,
        at ?? null,
      ]);
      if (result.rowCount === 0) throw notFound('API token', { tokenId: id });
    },

    async revokeApiToken(id) {
      const result = await db.query('UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1', [id]);
      if (result.rowCount === 0) throw notFound('API token', { tokenId: id });
    },
  };
}
