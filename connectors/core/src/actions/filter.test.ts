import { isRouted } from '@tributary/connector-sdk';
import { runAction } from '@tributary/connector-sdk/testing';
import { describe, expect, it } from 'vitest';
import { filterAction } from './filter.ts';

describe('core.filter', () => {
  it('passes the input on when the condition is true', async () => {
    const out = await runAction(filterAction, { props: { condition: true }, input: { id: 1 } });
    expect(isRouted(out)).toBe(false);
    expect(out).toEqual({ id: 1 });
  });
  it('fires no port when the condition is false, so nothing downstream runs', async () => {
    const out = await runAction(filterAction, { props: { condition: false }, input: { id: 1 } });
    expect(isRouted(out) && { ports: out.ports, output: out.output }).toEqual({ ports: [], output: { id: 1 } });
  });
  it.each([['yes'], [1], [null]])('refuses a non-boolean condition %s (the expression must give true or false)', async (condition) => {
    await expect(runAction(filterAction, { props: { condition }, input: null })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
