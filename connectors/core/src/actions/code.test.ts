import { createTestServices, runAction } from '@tributary/connector-sdk/testing';
import type { SandboxPort } from '@tributary/connector-sdk';
import { describe, expect, it } from 'vitest';
import { jsonataTestSandbox } from '../test-support/jsonata-test-sandbox.ts';
import { codeAction } from './code.ts';

describe('core.code', () => {
  it('returns what the code returns, with input and context available', async () => {
    const services = createTestServices({ sandbox: jsonataTestSandbox() });
    const out = await runAction(codeAction, {
      props: { code: 'return { count: input.lines.length, first: context.trigger.name, erp: context.steps.lookup.id, env: context.vars.env };' },
      input: { lines: [1, 2, 3] },
      scope: { trigger: { name: '#1001' }, steps: { lookup: { id: 'C1' } }, vars: { env: 'test' } },
      services,
    });
    expect(out).toEqual({ count: 3, first: '#1001', erp: 'C1', env: 'test' });
  });

  it('writes the code’s log lines to the step log, in order and at their level', async () => {
    const services = createTestServices({ sandbox: jsonataTestSandbox() });
    await runAction(codeAction, { props: { code: 'console.log("start", { n: 1 }); console.warn("careful"); return null;' }, input: null, services });
    expect(services.logs.filter((l) => l.fields?.['source'] === 'code').map((l) => [l.level, l.message])).toEqual([
      ['info', 'start {"n":1}'],
      ['warn', 'careful'],
    ]);
  });

  it('refuses a result that is not JSON (a broken bridge must fail loudly)', async () => {
    const sandbox: SandboxPort = { evaluate: async () => null, runCode: async () => ({ result: Number.NaN, logs: [] }) };
    await expect(runAction(codeAction, { props: { code: 'x' }, input: null, services: createTestServices({ sandbox }) })).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('never runs code outside a sandbox', async () => {
    await expect(runAction(codeAction, { props: { code: 'return 1' }, input: null })).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
