import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSandbox, type Sandbox } from '../src/index.ts';
import { IsolateSlot } from '../src/isolate-slot.ts';
import { failure } from './support.ts';

// Evaluations of an expression known to be quick run on the calling thread (applySync) within a time
// budget; these tests drive that path and what happens when it overruns or hits a limit.

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

/** Sum of 1..n the slow way: quick for n = 10, hundreds of milliseconds for n = 300000. */
const slowSum = '$reduce([1..$], function($a, $b) { $a + $b })';

/** Evaluates small inputs until the sandbox has learnt the expression is quick and runs it on this thread. */
async function learnQuick(box: Sandbox, expression: string, input: unknown): Promise<void> {
  for (let i = 0; i < 500 && box.stats().syncEvaluations === 0; i++) await box.evaluate({ expression, input });
  expect(box.stats().syncEvaluations).toBeGreaterThan(0);
}

describe('evaluations on the calling thread', () => {
  it('runs a quick expression on the calling thread after its first, off-thread evaluation', async () => {
    sandbox = createSandbox({ poolSize: 1, syncBudgetMs: 50 });
    expect(await sandbox.evaluate({ expression: '$ * 2', input: 1 })).toBe(2);
    expect(sandbox.stats().syncEvaluations).toBe(0);
    await learnQuick(sandbox, '$ * 2', 2);
    const before = sandbox.stats().syncEvaluations;
    expect(await sandbox.evaluate({ expression: '$ * 2', input: 21 })).toBe(42);
    expect(sandbox.stats().syncEvaluations).toBe(before + 1);
  });

  it('re-runs an evaluation that overruns the budget off the thread, with the right result', async () => {
    sandbox = createSandbox({ poolSize: 1, syncBudgetMs: 50 });
    await learnQuick(sandbox, slowSum, 10);
    expect(await sandbox.evaluate({ expression: slowSum, input: 300_000, limits: { timeoutMs: 30_000 } })).toBe(45_000_150_000);
    const stats = sandbox.stats();
    expect(stats.syncOverruns).toBe(1);
    expect(stats.failures).toEqual({});
    // The expression now goes off the thread for a while.
    const syncBefore = stats.syncEvaluations;
    expect(await sandbox.evaluate({ expression: slowSum, input: 10 })).toBe(55);
    expect(sandbox.stats().syncEvaluations).toBe(syncBefore);
  });

  it('keeps an expression on the calling thread when its overrun was the machine: the re-run is within the budget', async () => {
    sandbox = createSandbox({ poolSize: 1, syncBudgetMs: 300 }); // learnt within 30 ms, even on a loaded CI machine
    await learnQuick(sandbox, '$ * 3', 1);
    // A pause of the whole process (GC, a busy core) looks like this from the sync path: the time limit
    // ends the call and the isolate is retired, so the re-run compiles the expression on a new isolate.
    const stalled = vi.spyOn(IsolateSlot.prototype, 'evaluateSync').mockImplementationOnce(function (this: IsolateSlot) {
      this.dispose();
      return { status: 'timeout' };
    });
    try {
      expect(await sandbox.evaluate({ expression: '$ * 3', input: 5 })).toBe(15);
    } finally {
      stalled.mockRestore();
    }
    const before = sandbox.stats();
    expect(before.syncOverruns).toBe(1);
    expect(await sandbox.evaluate({ expression: '$ * 3', input: 7 })).toBe(21);
    expect(sandbox.stats().syncEvaluations).toBe(before.syncEvaluations + 1);
  });

  it('reports MAPPING_TIMEOUT when the limit is shorter than the budget', async () => {
    sandbox = createSandbox({ poolSize: 1, syncBudgetMs: 1000 });
    await learnQuick(sandbox, slowSum, 10);
    const error = await failure(sandbox.evaluate({ expression: slowSum, input: 5_000_000, limits: { timeoutMs: 30 } }));
    expect(error.code).toBe('MAPPING_TIMEOUT');
    expect(error.message).toMatch(/30 ms/);
    expect(sandbox.stats().syncOverruns).toBe(0);
    expect(await sandbox.evaluate({ expression: '"still fine"', input: {} })).toBe('still fine');
  });

  it('reports MAPPING_MEMORY from the calling thread and keeps serving', async () => {
    sandbox = createSandbox({ poolSize: 1, syncBudgetMs: 1000, defaults: { memoryMb: 16 } });
    const bomb = '$count([1..$].($string($) & "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"))';
    await learnQuick(sandbox, bomb, 10);
    const error = await failure(sandbox.evaluate({ expression: bomb, input: 5_000_000, limits: { timeoutMs: 30_000 } }));
    expect(error.code).toBe('MAPPING_MEMORY');
    expect(sandbox.stats()).toMatchObject({ retired: 1, syncOverruns: 0 });
    expect(await sandbox.evaluate({ expression: '1 + 1', input: {} })).toBe(2);
  });

  it('sends every evaluation off the thread with a budget of 0', async () => {
    sandbox = createSandbox({ poolSize: 1, syncBudgetMs: 0 });
    for (let i = 0; i < 20; i++) expect(await sandbox.evaluate({ expression: '$ + 1', input: i })).toBe(i + 1);
    expect(sandbox.stats().syncEvaluations).toBe(0);
  });

  it('answers concurrent evaluations, each with its own input, on the calling thread', async () => {
    sandbox = createSandbox({ poolSize: 2, syncBudgetMs: 50 });
    await learnQuick(sandbox, '$sum(items)', { items: [1, 2] });
    const before = sandbox.stats();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => sandbox!.evaluate({ expression: '$sum(items)', input: { items: [i, 1] } })));
    expect(results).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const after = sandbox.stats();
    expect(after.syncEvaluations - before.syncEvaluations).toBe(200);
  });
});
