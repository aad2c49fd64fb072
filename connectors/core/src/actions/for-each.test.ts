import type { SandboxPort } from '@tributary/connector-sdk';
import { createTestServices, runAction } from '@tributary/connector-sdk/testing';
import { describe, expect, it } from 'vitest';
import { jsonataTestSandbox } from '../test-support/jsonata-test-sandbox.ts';
import { forEachAction } from './for-each.ts';

const lines = [{ sku: 'A-1', quantity: 2 }, { sku: 'B-2', quantity: 1 }, { sku: 'C-3', quantity: 5 }];

describe('core.forEach', () => {
  it('applies an expression to every item, in order, with $index and the run context', async () => {
    const out = await runAction(forEachAction, {
      props: { items: lines, expression: '{ "sku": sku, "qty": quantity, "line": $index + 1, "order": $trigger.name }' },
      input: null,
      scope: { trigger: { name: '#1001' } },
      services: createTestServices({ sandbox: jsonataTestSandbox() }),
    });
    expect(out).toEqual([
      { sku: 'A-1', qty: 2, line: 1, order: '#1001' },
      { sku: 'B-2', qty: 1, line: 2, order: '#1001' },
      { sku: 'C-3', qty: 5, line: 3, order: '#1001' },
    ]);
  });

  it('runs code per item and writes its logs to the step log', async () => {
    const services = createTestServices({ sandbox: jsonataTestSandbox() });
    const out = await runAction(forEachAction, { props: { mode: 'code', code: 'console.log("item", context.index); return input.quantity * 2;' }, input: lines, services });
    expect(out).toEqual([4, 2, 10]);
    expect(services.logs.filter((l) => l.fields?.['source'] === 'code').map((l) => [l.message, l.fields?.['index']])).toEqual([
      ['item 0', 0],
      ['item 1', 1],
      ['item 2', 2],
    ]);
  });

  it('never has more than `concurrency` items in the sandbox at once, and keeps item order', async () => {
    let active = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const sandbox: SandboxPort = {
      async evaluate(req) {
        active++;
        peak = Math.max(peak, active);
        await new Promise<void>((r) => releases.push(r));
        active--;
        return (req.input as number) * 10;
      },
      runCode: async () => ({ result: null, logs: [] }),
    };
    const p = runAction(forEachAction, { props: { items: [1, 2, 3, 4, 5, 6, 7], expression: '$ * 10', concurrency: 3 }, input: null, services: createTestServices({ sandbox }) });
    // Release waiting items one by one, newest first, so completion order differs from item order.
    while (releases.length > 0 || active > 0) {
      await new Promise((r) => setImmediate(r));
      releases.pop()?.();
    }
    expect(await p).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(peak).toBe(3);
  });

  it('fails with the failing item’s index and the sandbox code, and starts no further items', async () => {
    const sandbox = jsonataTestSandbox();
    const err = await runAction(forEachAction, { props: { items: [1, 2, 'x', 4, 5, 6], expression: '$ + 1', concurrency: 1 }, input: null, services: createTestServices({ sandbox }) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MAPPING_RUNTIME', details: { index: 2 } });
    expect((err as Error).message).toMatch(/^item 2: /);
    expect(sandbox.calls).toHaveLength(3);
  });

  it.each([
    ['items that are not a list', { items: { a: 1 }, expression: '$' }, 'items'],
    ['more items than maxItems', { items: [1, 2, 3], expression: '$', maxItems: 2 }, 'items'],
    ['no expression in expression mode', { items: [1] }, 'expression'],
    ['no code in code mode', { items: [1], mode: 'code' }, 'code'],
  ])('refuses %s', async (_what, props, path) => {
    await expect(runAction(forEachAction, { props, input: null, services: createTestServices({ sandbox: jsonataTestSandbox() }) })).rejects.toMatchObject({ code: 'CONFIG_INVALID', details: { path } });
  });

  it('returns an empty list for no items', async () => {
    expect(await runAction(forEachAction, { props: { expression: '$' }, input: [] })).toEqual([]);
  });
});
