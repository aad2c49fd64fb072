import { ConnectorError, defineAction, prop, routed } from '@tributary/connector-sdk';
import { z } from 'zod';

const system = (label: string) => prop.string({ label, required: true, placeholder: 'shopify, erp, crm, pim' });

/**
 * `core.xrefLookup`: the id an entity has in another system (Shopify customer 7390114553916 → ERP
 * C00042). Output `{ found, id }`. When nothing is linked: `ifMissing` `null` gives `{ found: false,
 * id: null }`, `fail` fails with NOT_FOUND, `stop` fires no port (nothing downstream runs).
 */
export const xrefLookupAction = defineAction({
  name: 'xrefLookup',
  label: 'Look up linked id',
  description: 'Find the id an entity has in another system, from the cross-reference links.',
  group: 'Data',
  kind: 'action',
  runsIn: 'host',
  props: {
    entity: prop.string({ label: 'Entity', required: true, placeholder: 'customer' }),
    system: system('From system'),
    id: prop.id({ label: 'Id in that system', required: true }),
    targetSystem: system('Id wanted in system'),
    ifMissing: prop.select({
      label: 'When not linked',
      default: 'null',
      options: [
        { value: 'null', label: 'Continue with id null' },
        { value: 'fail', label: 'Fail the step' },
        { value: 'stop', label: 'Stop this branch' },
      ],
    }),
  },
  exampleProps: { entity: 'customer', system: 'shopify', id: 7390114553916, targetSystem: 'erp' },
  sampleOutput: { found: true, id: 'C00042' },
  async run(ctx) {
    const { entity, system: from, id, targetSystem, ifMissing } = ctx.props;
    const found = await ctx.xref.lookup(entity, from, id, targetSystem);
    if (found !== null) return { found: true, id: found };
    if (ifMissing === 'fail') {
      throw new ConnectorError('NOT_FOUND', `${entity} ${from} ${id} has no linked ${targetSystem} id`, { details: { entity, system: from, id, targetSystem } });
    }
    const output = { found: false, id: null };
    return ifMissing === 'stop' ? routed([], output) : output;
  },
});

/**
 * `core.xrefLink`: records that ids in several systems are one entity. Links merge: linking
 * `{ erp: C00042, crm: 98765 }` after `{ shopify: 7390114553916, erp: C00042 }` gives one record with
 * all three. An id already linked to a different record fails with CONFLICT. Output: every id the
 * entity now has.
 */
export const xrefLinkAction = defineAction({
  name: 'xrefLink',
  label: 'Link ids',
  description: 'Record that ids in different systems belong to one entity (customer, product, order…).',
  group: 'Data',
  kind: 'action',
  runsIn: 'host',
  write: true,
  idempotent: true,
  props: {
    entity: prop.string({ label: 'Entity', required: true, placeholder: 'customer' }),
    ids: prop.object({
      label: 'Ids by system',
      required: true,
      schema: z
        .record(z.string().min(1), z.union([z.string().min(1), z.number().int().transform((n) => String(n))]))
        .refine((r) => Object.keys(r).length >= 2, 'link at least two systems'),
    }),
  },
  exampleProps: { entity: 'customer', ids: { shopify: 7390114553916, erp: 'C00042' } },
  sampleOutput: { shopify: '7390114553916', erp: 'C00042', crm: '98765' },
  async run(ctx) {
    return ctx.xref.link(ctx.props.entity, ctx.props.ids);
  },
});
