import { describe, expect, it } from 'vitest';
import { StoreError, toStoreError } from './errors.ts';

function driverError(fields: Record<string, string>, message = 'driver error'): Error {
  return Object.assign(new Error(message), fields);
}

describe('toStoreError', () => {
  it.each([
    ['unique violation on the case-insensitive e-mail index', { code: '23505', constraint: 'users_email_lower', table: 'users' }, 'STORE_DUPLICATE', { field: 'email' }, false],
    ['unique violation on the dedupe index', { code: '23505', constraint: 'runs_flow_dedupe' }, 'STORE_DUPLICATE', { field: 'dedupeKey' }, false],
    ['unknown unique constraint keeps its name', { code: '23505', constraint: 'other_key' }, 'STORE_DUPLICATE', { field: 'other_key' }, false],
    ['missing parent row', { code: '23503', constraint: 'steps_run_id_fkey' }, 'STORE_NOT_FOUND', { field: 'runId' }, false],
    ['check violation', { code: '23514', constraint: 'users_role_check' }, 'STORE_INVALID_INPUT', { field: 'users_role_check' }, false],
    ['deadlock', { code: '40P01' }, 'STORE_CONFLICT', {}, true],
    ['serialisation failure', { code: '40001' }, 'STORE_CONFLICT', {}, true],
    ['connection refused', { code: 'ECONNREFUSED' }, 'STORE_UNAVAILABLE', {}, true],
    ['server shutting down', { code: '57P01' }, 'STORE_UNAVAILABLE', {}, true],
    ['too many connections', { code: '53300' }, 'STORE_UNAVAILABLE', {}, true],
    ['bad password', { code: '28P01' }, 'STORE_UNAVAILABLE', {}, false],
    ['syntax error', { code: '42601' }, 'STORE_INTERNAL', {}, false],
  ])('maps %s', (_label, fields, code, details, retryable) => {
    const error = toStoreError(driverError(fields));
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code, details, retryable });
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('maps node-postgres connection loss, which carries no code', () => {
    expect(toStoreError(new Error('Connection terminated unexpectedly'))).toMatchObject({ code: 'STORE_UNAVAILABLE', kind: 'transient', retryable: true });
  });

  it('passes StoreErrors through and serialises to { name, code, message, details }', () => {
    const original = new StoreError({ code: 'STORE_CONFLICT', message: 'stale', details: { rev: 1 } });
    expect(toStoreError(original)).toBe(original);
    expect(JSON.parse(JSON.stringify(original))).toEqual({ name: 'StoreError', code: 'STORE_CONFLICT', message: 'stale', details: { rev: 1 } });
  });
});
