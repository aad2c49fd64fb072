// What the scaled-mode tests share: a database of their own on the local PostgreSQL, a Redis database
// number of their own, and an admin session on a server process.
import { spawnSync } from 'node:child_process';

/** Runs SQL against the `test` database as postgres; throws with psql's stderr. */
export function psql(sql: string): void {
  const r = spawnSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-qc', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}

/** Creates database `name` afresh; the returned function drops it (closing its connections). */
export function freshDatabase(name: string): () => void {
  psql(`drop database if exists ${name}`);
  psql(`create database ${name}`);
  return () => psql(`drop database if exists ${name} with (force)`);
}

/** Empties Redis database `n`. */
export function flushRedis(n: number): void {
  spawnSync('redis-cli', ['-n', String(n), 'flushdb']);
}

/** Signs in on a server process; returns the headers a state-changing API call needs. */
export async function adminHeaders(serverUrl: string, email: string, password: string): Promise<Record<string, string>> {
  const login = await fetch(`${serverUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (login.status !== 200) throw new Error(`sign-in as ${email} answered ${login.status}: ${await login.text()}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
}
