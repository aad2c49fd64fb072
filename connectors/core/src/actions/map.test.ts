import { runAction, createTestServices } from '@tributary/connector-sdk/testing';
import { describe, expect, it } from 'vitest';
import { jsonataTestSandbox } from '../test-support/jsonata-test-sandbox.ts';
import { mapAction } from './map.ts';

const order = { name: '#1001', total_price: '129.50', line_items: [{ sku: 'A-1', quantity: 2 }, { sku: 'B-2', quantity: 1 }] };

describe('core.map', () => {
  it('evaluates the expression over the input with the run context bound', async () => {
    const services = createTestServices({ sandbox: jsonataTestSandbox() });
    const out = await runAction(mapAction, {
      props: { expression: '{ "orderNo": $trigger.name, "customer": $steps.lookup.erpId, "env": $vars.env, "run": $execution.runId, "lines": line_items.{ "sku": sku, "qty": quantity } }' },
      input: order,
      scope: { trigger: order, steps: { lookup: { erpId: 'C00042' } }, vars: { env: 'prod' } },
      services,
    });
    expect(out).toEqual({ orderNo: '#1001', customer: 'C00042', env: 'prod', run: 'run_test', lines: [{ sku: 'A-1', qty: 2 }, { sku: 'B-2', qty: 1 }] });
  });

  it('gives null when the expression matches nothing', async () => {
    const out = await runAction(mapAction, { props: { expression: 'missing.field' }, input: order, services: createTestServices({ sandbox: jsonataTestSandbox() }) });
    expect(out).toBeNull();
  });

  it('passes the node limits to the sandbox', async () => {
    const sandbox = jsonataTestSandbox();
    await runAction(mapAction, { props: { expression: '1' }, input: null, limits: { timeoutMs: 50, memoryMb: 16 }, services: createTestServices({ sandbox }) });
    expect(sandbox.calls).toEqual([{ kind: 'evaluate', limits: { timeoutMs: 50, memoryMb: 16 } }]);
  });

  it('keeps the sandbox error code (a mapping error is the user’s to fix)', async () => {
    const err = await runAction(mapAction, { props: { expression: '{ "a": ' }, input: {}, services: createTestServices({ sandbox: jsonataTestSandbox() }) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MAPPING_SYNTAX' });
  });

  it('never evaluates outside a sandbox', async () => {
    await expect(runAction(mapAction, { props: { expression: '1 + 1' }, input: null })).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('requires an expression', async () => {
    await expect(runAction(mapAction, { props: {}, input: null })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
