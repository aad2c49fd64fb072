import { isRouted } from '@tributary/connector-sdk';
import { createTestServices, runAction } from '@tributary/connector-sdk/testing';
import { describe, expect, it } from 'vitest';
import { xrefLinkAction, xrefLookupAction } from './xref.ts';

describe('core.xrefLink and core.xrefLookup', () => {
  it('links ids (numbers taken as text) and finds them from any system', async () => {
    const services = createTestServices();
    expect(await runAction(xrefLinkAction, { props: { entity: 'customer', ids: { shopify: 7390114553916, erp: 'C00042' } }, input: null, services })).toEqual({ shopify: '7390114553916', erp: 'C00042' });
    expect(await runAction(xrefLinkAction, { props: { entity: 'customer', ids: { erp: 'C00042', crm: '98765' } }, input: null, services })).toEqual({ shopify: '7390114553916', erp: 'C00042', crm: '98765' });
    expect(await runAction(xrefLookupAction, { props: { entity: 'customer', system: 'shopify', id: 7390114553916, targetSystem: 'crm' }, input: null, services })).toEqual({ found: true, id: '98765' });
  });

  it('refuses to move an id to another record', async () => {
    const services = createTestServices();
    await runAction(xrefLinkAction, { props: { entity: 'customer', ids: { shopify: '1', erp: 'A' } }, input: null, services });
    await expect(runAction(xrefLinkAction, { props: { entity: 'customer', ids: { shopify: '1', erp: 'B' } }, input: null, services })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('needs at least two systems to link', async () => {
    await expect(runAction(xrefLinkAction, { props: { entity: 'customer', ids: { shopify: '1' } }, input: null })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it.each([
    ['null', { found: false, id: null }, false],
    ['stop', { found: false, id: null }, true],
  ] as const)('when nothing is linked, ifMissing %s gives %j', async (ifMissing, output, stopped) => {
    const out = await runAction(xrefLookupAction, { props: { entity: 'customer', system: 'shopify', id: '404', targetSystem: 'erp', ifMissing }, input: null });
    expect(isRouted(out) ? { ports: out.ports, output: out.output } : { ports: ['out'], output: out }).toEqual({ ports: stopped ? [] : ['out'], output });
  });

  it('fails with NOT_FOUND when asked to', async () => {
    await expect(runAction(xrefLookupAction, { props: { entity: 'customer', system: 'shopify', id: '404', targetSystem: 'erp', ifMissing: 'fail' }, input: null })).rejects.toMatchObject({ code: 'NOT_FOUND', retryable: false });
  });
});
