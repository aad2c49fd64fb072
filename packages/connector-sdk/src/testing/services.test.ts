import { describe, expect, it } from 'vitest';
import { defineAction } from '../define.ts';
import { prop } from '../props.ts';
import { createMemoryXref, createTestContext, createTestServices, runAction } from './services.ts';

describe('createTestServices', () => {
  it('refuses to evaluate user code unless a sandbox is passed in', async () => {
    const s = createTestServices();
    await expect(s.sandbox.evaluate({ expression: '1 + 1', input: null })).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(s.sandbox.runCode({ code: 'return 1', input: null, context: {} })).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('keeps state as copies, so a step cannot mutate what was stored', async () => {
    const s = createTestServices();
    const v = { items: [1] };
    await s.state.set('k', v);
    v.items.push(2);
    expect(await s.state.get('k')).toEqual({ items: [1] });
    expect(await s.state.get('missing')).toBeNull();
  });

  it('sleeps without waiting, moving the clock', async () => {
    const s = createTestServices({ startAt: 1000 });
    await s.sleep(250);
    expect(s.now()).toBe(1250);
    expect(s.sleeps).toEqual([250]);
  });
});

describe('createMemoryXref', () => {
  it('links ids across systems and looks them up in either direction', async () => {
    const x = createMemoryXref();
    await x.link('customer', { shopify: '7390114553916', erp: 'C00042' });
    expect(await x.link('customer', { erp: 'C00042', crm: '98765' })).toEqual({ shopify: '7390114553916', erp: 'C00042', crm: '98765' });
    expect(await x.lookup('customer', 'shopify', '7390114553916', 'crm')).toBe('98765');
    expect(await x.lookup('customer', 'crm', '98765', 'erp')).toBe('C00042');
    expect(await x.lookup('customer', 'shopify', 'unknown', 'erp')).toBeNull();
    expect(await x.lookup('product', 'shopify', '7390114553916', 'erp')).toBeNull();
  });
  it('refuses to relink an id to a different record', async () => {
    const x = createMemoryXref();
    await x.link('customer', { shopify: '1', erp: 'A' });
    await expect(x.link('customer', { shopify: '1', erp: 'B' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await x.link('customer', { shopify: '2', erp: 'C' });
    await expect(x.link('customer', { shopify: '1', erp: 'C' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(x.records('customer')).toEqual([{ shopify: '1', erp: 'A' }, { shopify: '2', erp: 'C' }]);
  });
});

describe('runAction', () => {
  const echo = defineAction({
    name: 'echo',
    label: 'Echo',
    description: 'x',
    props: { n: prop.integer({ label: 'N', required: true, min: 1 }), tag: prop.string({ label: 'Tag', default: 'x' }) },
    async run(ctx) {
      return { n: ctx.props.n, tag: ctx.props.tag, input: ctx.input, trigger: ctx.scope.trigger };
    },
  });
  it('parses props with defaults, and the scope trigger defaults to the input', async () => {
    expect(await runAction(echo, { props: { n: 2 }, input: { a: 1 } })).toEqual({ n: 2, tag: 'x', input: { a: 1 }, trigger: { a: 1 } });
  });
  it('reports every invalid prop by name', async () => {
    await expect(runAction(echo, { props: { n: 0, tag: 5 } })).rejects.toMatchObject({ code: 'CONFIG_INVALID', details: { issues: [{ path: 'n' }, { path: 'tag' }] } });
  });
  it('createTestContext carries run info and an idempotency key', () => {
    const ctx = createTestContext({ props: {}, run: { nodeId: 'createSO' } });
    expect(ctx.run.nodeId).toBe('createSO');
    expect(ctx.idempotencyKey).toContain('createSO');
  });
});
