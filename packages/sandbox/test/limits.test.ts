import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox, type Limits, type SandboxErrorCode } from '../src/index.ts';
import { failure } from './support.ts';

// A small heap and short time limits on the bombs keep the suite fast; the defaults (1000 ms, 64 MB,
// 5 MB) are checked separately. Normal calls get a generous time limit so a loaded machine cannot fail them.
const sandbox = createSandbox({ poolSize: 2, defaults: { timeoutMs: 5_000, memoryMb: 32 } });
afterAll(() => sandbox.close());

// Memory and output bombs get time to reach their limit; the recursion ones run into 250 ms.
const slow = { timeoutMs: 20_000 };
const short = { timeoutMs: 250 };

const bombs: Array<[string, string, SandboxErrorCode, RegExp, Partial<Limits>]> = [
  ['infinite recursion', '($f := function($x){ $f($x) }; $f(1))', 'MAPPING_TIMEOUT', /time limit of 250 ms \(limits\.timeoutMs\)/, short],
  ['a range of 1e9 items', '[1..1e9]', 'MAPPING_MEMORY', /limit 32 MB, limits\.memoryMb.*1e7/, slow],
  ['a range of 1e7 items', '$count([1..1e7])', 'MAPPING_MEMORY', /limit of 32 MB \(limits\.memoryMb\)/, slow],
  [
    'a string doubled past V8 limits',
    '( $s := $join([1..100000].("x"), ""); $f := function($t, $n){ $n = 0 ? $t : $f($t & $t, $n - 1) }; $length($f($s, 20)) )',
    'MAPPING_MEMORY',
    /memory/,
    slow,
  ],
  ['an output over 5 MB', '$join([1..600000].("xxxxxxxxxx"), "")', 'MAPPING_OUTPUT_TOO_LARGE', /6000002 bytes of JSON, over the limit of 5242880 bytes \(limits\.outputBytes\)/, slow],
];

describe('limits', () => {
  it.each(bombs)('stops %s with %s', async (_what, expression, code, message, limits) => {
    const error = await failure(sandbox.evaluate({ expression, input: {}, limits }));
    expect(error).toMatchObject({ code, kind: 'user', retryable: false });
    expect(error.message).toMatch(message);
    expect(error.details).toHaveProperty('limit');
    expect(error.details).toHaveProperty('value');
  });

  // Each frame of a non-tail recursion keeps its pending `1 + …`: on a fast machine it fills the 32 MB heap
  // before 250 ms are up, on a slow one it runs out of time first. Either stops it, naming that limit.
  it('stops non-tail recursion at whichever limit it reaches first', async () => {
    const error = await failure(sandbox.evaluate({ expression: '($f := function($x){ 1 + $f($x) }; $f(1))', input: {}, limits: short }));
    expect(error).toMatchObject({ kind: 'user', retryable: false });
    expect(['MAPPING_TIMEOUT', 'MAPPING_MEMORY']).toContain(error.code);
    expect(error.message).toMatch(error.code === 'MAPPING_TIMEOUT' ? /time limit of 250 ms/ : /limit of 32 MB \(limits\.memoryMb\)/);
    expect(error.details).toHaveProperty('limit');
  });

  it('applies per-call limits over the defaults', async () => {
    const expression = '$join([1..200].("x"), "")';
    expect(await sandbox.evaluate({ expression, input: {} })).toHaveLength(200);
    const error = await failure(sandbox.evaluate({ expression, input: {}, limits: { outputBytes: 100 } }));
    expect(error.code).toBe('MAPPING_OUTPUT_TOO_LARGE');
    expect(error.details).toMatchObject({ limit: 'outputBytes', value: 100, size: 202 });
  });

  it('counts output size in UTF-8 bytes', async () => {
    // 40 characters, 120 bytes of UTF-8, plus two quotes.
    const expression = '$join([1..40].("€"), "")';
    expect(await sandbox.evaluate({ expression, input: {}, limits: { outputBytes: 122 } })).toHaveLength(40);
    const error = await failure(sandbox.evaluate({ expression, input: {}, limits: { outputBytes: 121 } }));
    expect(error.details).toMatchObject({ size: 122 });
  });

  it('gives a call its own heap size in an isolate of that size', async () => {
    const expression = '$count([1..2000000])';
    expect(await sandbox.evaluate({ expression, input: {}, limits: slow })).toBe(2_000_000);
    const error = await failure(sandbox.evaluate({ expression, input: {}, limits: { memoryMb: 8, ...slow } }));
    expect(error.code).toBe('MAPPING_MEMORY');
    expect(error.message).toMatch(/8 MB/);
  });

  it('keeps serving concurrent evaluations while one of them is killed for memory', async () => {
    const before = sandbox.stats();
    const bomb = sandbox.evaluate({ expression: '$count([1..1e7])', input: {}, limits: slow });
    const normal = Array.from({ length: 20 }, (_, i) => sandbox.evaluate({ expression: '$sum(items) + n', input: { items: [1, 2, 3], n: i } }));
    const [bombResult, ...results] = await Promise.allSettled([bomb, ...normal]);
    expect(bombResult).toMatchObject({ status: 'rejected', reason: { code: 'MAPPING_MEMORY' } });
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason))).toEqual(Array.from({ length: 20 }, (_, i) => 6 + i));
    const after = sandbox.stats();
    expect(after.retired).toBeGreaterThan(before.retired);
    expect(await sandbox.evaluate({ expression: '"still fine"', input: {} })).toBe('still fine');
  });

  it('keeps serving after a timeout, on a replaced isolate', async () => {
    const error = await failure(sandbox.evaluate({ expression: '($f := function($x){ $f($x) }; $f(1))', input: {}, limits: { timeoutMs: 50 } }));
    expect(error.message).toMatch(/50 ms/);
    expect(await sandbox.evaluate({ expression: '1 + 1', input: {} })).toBe(2);
  });

  it('uses 1000 ms, 64 MB and 5 MB when nothing is configured', async () => {
    const plain = createSandbox({ poolSize: 1, warm: false });
    try {
      expect(plain.stats().defaults).toEqual({ timeoutMs: 1000, memoryMb: 64, outputBytes: 5 * 1024 * 1024 });
      const error = await failure(plain.evaluate({ expression: '$join([1..600000].("xxxxxxxxxx"), "")', input: {}, limits: slow }));
      expect(error.details).toMatchObject({ limit: 'outputBytes', value: 5 * 1024 * 1024 });
    } finally {
      await plain.close();
    }
  });
});
