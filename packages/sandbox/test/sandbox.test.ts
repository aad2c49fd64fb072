import { describe, expect, it } from 'vitest';
import { createSandbox, SandboxError, sandboxErrorCodes } from '../src/index.ts';
import { failure } from './support.ts';

describe('createSandbox', () => {
  it('warms poolSize isolates and reports what it runs', async () => {
    const sandbox = createSandbox({ poolSize: 2 });
    try {
      await sandbox.ready();
      expect(sandbox.stats()).toMatchObject({ poolSize: 2, isolates: 2, idle: 2, busy: 0, queued: 0, closed: false });
      expect(sandbox.stats().runtime?.snapshotBytes).toBeGreaterThan(0);
      await sandbox.evaluate({ expression: '1', input: {} });
      await sandbox.evaluate({ expression: '$nope(', input: {} }).catch(() => undefined);
      await sandbox.runCode({ code: 'return 1', input: {}, context: {} });
      expect(sandbox.stats()).toMatchObject({ evaluations: 2, codeRuns: 1, failures: { MAPPING_SYNTAX: 1 } });
    } finally {
      await sandbox.close();
    }
  });

  it('queues calls beyond the pool size and runs them all', async () => {
    const sandbox = createSandbox({ poolSize: 1 });
    try {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => sandbox.evaluate({ expression: '$ * 2', input: i })));
      expect(results).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
      expect(sandbox.stats().isolates).toBe(1);
    } finally {
      await sandbox.close();
    }
  });

  it.each([
    ['a pool size of 0', { poolSize: 0 }, /options\.poolSize/],
    ['an unknown option', { pool: 2 }, /options/],
    ['a default heap under 8 MB', { defaults: { memoryMb: 1 } }, /defaults\.memoryMb/],
  ])('refuses %s', (_what, options, message) => {
    expect(() => createSandbox(options as never)).toThrow(message);
  });
});

describe('close', () => {
  it('finishes running calls, refuses queued and new ones with SANDBOX_CLOSED, and disposes the isolates', async () => {
    const sandbox = createSandbox({ poolSize: 1 });
    await sandbox.ready();
    const running = sandbox.runCode({ code: 'let n = 0; for (let i = 0; i < 2e7; i++) n += i; return "done"', input: {}, context: {}, limits: { timeoutMs: 20_000 } });
    const queued = failure(sandbox.evaluate({ expression: '1', input: {} }));
    await new Promise((resolve) => setImmediate(resolve));
    await sandbox.close();
    expect((await running).result).toBe('done');
    const refusedQueued = await queued;
    const refusedNew = await failure(sandbox.evaluate({ expression: '1', input: {} }));
    for (const error of [refusedQueued, refusedNew]) {
      expect(error).toMatchObject({ code: 'SANDBOX_CLOSED', kind: 'transient', retryable: true });
    }
    expect(sandbox.stats()).toMatchObject({ closed: true, isolates: 0 });
  });
});

describe('SandboxError', () => {
  it.each(sandboxErrorCodes.map((code) => [code]))('%s has a kind and serialises by code', (code) => {
    const error = new SandboxError(code, 'message', { details: { a: 1 } });
    expect(['user', 'transient', 'internal']).toContain(error.kind);
    expect(JSON.parse(JSON.stringify(error))).toEqual({ name: 'SandboxError', code, message: 'message', details: { a: 1 } });
  });

  it('only SANDBOX_CLOSED is worth retrying', () => {
    expect(sandboxErrorCodes.filter((code) => new SandboxError(code, '').retryable)).toEqual(['SANDBOX_CLOSED']);
  });
});
