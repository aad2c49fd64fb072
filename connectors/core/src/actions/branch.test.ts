import { isRouted, type StepResult } from '@tributary/connector-sdk';
import { createTestServices, runAction } from '@tributary/connector-sdk/testing';
import { describe, expect, it } from 'vitest';
import { jsonataTestSandbox } from '../test-support/jsonata-test-sandbox.ts';
import { branchAction } from './branch.ts';

const ports = (r: StepResult): readonly string[] => (isRouted(r) ? r.ports : ['out']);
const order = { total: 1500, customer: { tags: ['wholesale', 'eu'] } };

describe('core.branch', () => {
  const cases = [
    { name: 'wholesale', condition: "$contains($join(customer.tags, ','), 'wholesale')" },
    { name: 'large', condition: 'total > 1000' },
  ];

  it.each([
    ['the first matching case wins', order, ['wholesale']],
    ['a later case when the first does not hold', { ...order, customer: { tags: ['retail'] } }, ['large']],
    ['default when no case holds', { total: 10, customer: { tags: [] } }, ['default']],
  ])('%s', async (_what, input, expected) => {
    const out = await runAction(branchAction, { props: { cases }, input, services: createTestServices({ sandbox: jsonataTestSandbox() }) });
    expect(ports(out)).toEqual(expected);
    expect(isRouted(out) && out.output).toEqual(input);
  });

  it('uses conditions the engine already evaluated from { $expr } without the sandbox', async () => {
    const out = await runAction(branchAction, { props: { cases: [{ name: 'no', condition: false }, { name: 'yes', condition: true }] }, input: {} });
    expect(ports(out)).toEqual(['yes']);
  });

  it('binds the run context like core.map', async () => {
    const out = await runAction(branchAction, {
      props: { cases: [{ name: 'vip', condition: '$steps.lookup.tier = "gold"' }] },
      input: {},
      scope: { steps: { lookup: { tier: 'gold' } } },
      services: createTestServices({ sandbox: jsonataTestSandbox() }),
    });
    expect(ports(out)).toEqual(['vip']);
  });

  it.each([
    ['an empty string', '""', 'default'],
    ['zero', '0', 'default'],
    ['an empty list', '[]', 'default'],
    ['no match', 'missing', 'default'],
    ['a non-empty string', '"x"', 'hit'],
    ['a list with a true member', '[false, true]', 'hit'],
  ])('treats %s like JSONata $boolean', async (_what, condition, port) => {
    const out = await runAction(branchAction, { props: { cases: [{ name: 'hit', condition }] }, input: {}, services: createTestServices({ sandbox: jsonataTestSandbox() }) });
    expect(ports(out)).toEqual([port]);
  });

  it('stops at the first match without evaluating later conditions', async () => {
    const sandbox = jsonataTestSandbox();
    await runAction(branchAction, { props: { cases: [{ name: 'a', condition: 'true' }, { name: 'b', condition: 'true' }] }, input: {}, services: createTestServices({ sandbox }) });
    expect(sandbox.calls).toHaveLength(1);
  });

  it('says which case failed to evaluate, keeping the sandbox code', async () => {
    const err = await runAction(branchAction, { props: { cases: [{ name: 'ok', condition: 'false' }, { name: 'broken', condition: '1 +' }] }, input: {}, services: createTestServices({ sandbox: jsonataTestSandbox() }) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MAPPING_SYNTAX', details: { path: 'cases[1].condition' } });
    expect((err as Error).message).toMatch(/^case "broken": /);
  });

  it.each([
    ['duplicate names', [{ name: 'a', condition: true }, { name: 'a', condition: false }], 'cases.1.name'],
    ['a reserved port name', [{ name: 'default', condition: true }], 'cases.0.name'],
    ['a name that is not a port name', [{ name: 'big order', condition: true }], 'cases.0.name'],
    ['no cases', [], 'cases'],
  ])('refuses %s', async (_what, cases, path) => {
    const err = await runAction(branchAction, { props: { cases }, input: {} }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFIG_INVALID', details: { issues: [{ path }] } });
  });

  it('declares its ports for the designer: the cases plus default', () => {
    expect({ outputs: branchAction.outputs, outputsFrom: branchAction.outputsFrom }).toEqual({ outputs: ['default'], outputsFrom: 'cases' });
  });
});
