import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineAction, defineConnector } from './define.ts';
import { parseProps, prop, propSpecs } from './props.ts';

describe('prop', () => {
  const defs = {
    name: prop.string({ label: 'Name', required: true }),
    mode: prop.select({ label: 'Mode', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }], default: 'a' }),
    limit: prop.integer({ label: 'Limit', min: 1, max: 10, default: 5 }),
    note: prop.text({ label: 'Note' }),
    lines: prop.array({ label: 'Lines', schema: z.array(z.object({ sku: z.string() })) }),
  };

  it('gives props with a default or `required` a non-optional type', () => {
    const r = parseProps(defs, { name: 'x' });
    if (!r.ok) throw new Error('expected ok');
    expectTypeOf(r.value.name).toEqualTypeOf<string>();
    expectTypeOf(r.value.mode).toEqualTypeOf<'a' | 'b'>();
    expectTypeOf(r.value.limit).toEqualTypeOf<number>();
    expectTypeOf(r.value.note).toEqualTypeOf<string | undefined>();
    expect(r.value).toMatchObject({ name: 'x', mode: 'a', limit: 5 });
  });

  it('reports every invalid field with its path', () => {
    const r = parseProps(defs, { mode: 'c', limit: 11, lines: [{ sku: 1 }] });
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(['name', 'mode', 'limit', 'lines.0.sku']);
  });

  it('keeps zod schemas out of the JSON spec', () => {
    const specs = propSpecs(defs);
    expect(JSON.parse(JSON.stringify(specs))).toEqual(specs);
    expect(specs['lines']).toEqual({ label: 'Lines', type: 'array', required: false });
  });

  it('per-node groups override the connector group in the catalog', () => {
    const c = defineConnector({
      id: 'x',
      label: 'X',
      description: 'x',
      auth: null,
      triggers: [],
      actions: [
        defineAction({ name: 'a', label: 'A', description: 'a', props: {}, group: 'Logic', run: async () => null }),
        defineAction({ name: 'b', label: 'B', description: 'b', props: {}, run: async () => null }),
      ],
    });
    expect(c.nodeTypes().map((n) => n.group)).toEqual(['Logic', 'X']);
  });
});

describe('prop.id', () => {
  it.each([
    ['C00042', 'C00042'],
    [7390114553916, '7390114553916'],
  ])('takes %s as %s', (given, expected) => {
    const r = parseProps({ id: prop.id({ label: 'Id', required: true }) }, { id: given });
    expect(r.ok && r.value.id).toBe(expected);
  });
  it.each([[''], [1.5], [null]])('refuses %s', (given) => {
    expect(parseProps({ id: prop.id({ label: 'Id', required: true }) }, { id: given }).ok).toBe(false);
  });
});
