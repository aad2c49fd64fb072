import { defineAction, prop, routed } from '@tributary/connector-sdk';
import { z } from 'zod';
import { annotate, jsonataTruthy, scopeBindings } from '../scope.ts';

const RESERVED = new Set(['default', 'error', 'out']);

const casesSchema = z
  .array(
    z.object({
      name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'a case name must start with a letter or _ and contain only letters, digits, _ and -'),
      /** `true`/`false` (an `{ "$expr" }` the engine already evaluated) or JSONata text the node evaluates. */
      condition: z.union([z.boolean(), z.string().min(1)]),
    }),
  )
  .min(1, 'add at least one case')
  .superRefine((cases, c) => {
    const seen = new Set<string>();
    cases.forEach((k, i) => {
      if (RESERVED.has(k.name)) c.addIssue({ code: 'custom', path: [i, 'name'], message: `"${k.name}" is a reserved port name` });
      if (seen.has(k.name)) c.addIssue({ code: 'custom', path: [i, 'name'], message: `case "${k.name}" is defined twice` });
      seen.add(k.name);
    });
  });

/**
 * `core.branch`: routes the input to the first case whose condition holds, else to `default`.
 * Each case is a port named after it. A condition is either an expression value the engine resolves
 * (`{ "$expr": "$trigger.total > 1000" }`, preferred) or JSONata text the node evaluates in the isolate
 * with the same bindings as `core.map`; truthiness follows JSONata's `$boolean`. Cases are checked in
 * order and text conditions after the first match are not evaluated.
 */
export const branchAction = defineAction({
  name: 'branch',
  label: 'Branch',
  description: 'Send the input down the first case whose condition is true, or down "default".',
  group: 'Logic',
  kind: 'logic',
  runsIn: 'isolate',
  outputs: ['default'],
  outputsFrom: 'cases',
  props: {
    cases: prop.array({ label: 'Cases', required: true, schema: casesSchema, description: 'Each case: a port name and a condition' }),
  },
  exampleProps: {
    cases: [
      { name: 'wholesale', condition: "$trigger.customer.tags ~> $contains('wholesale')" },
      { name: 'large', condition: true },
    ],
  },
  sampleOutput: { id: 1001, total_price: '1299.00' },
  async run(ctx) {
    for (const [i, c] of ctx.props.cases.entries()) {
      let hit: boolean;
      if (typeof c.condition === 'boolean') hit = c.condition;
      else {
        try {
          hit = jsonataTruthy(await ctx.sandbox.evaluate({ expression: c.condition, input: ctx.input, bindings: scopeBindings(ctx), limits: ctx.limits }));
        } catch (err) {
          throw annotate(err, `case "${c.name}"`, { path: `cases[${i}].condition` });
        }
      }
      if (hit) return routed(c.name, ctx.input);
    }
    return routed('default', ctx.input);
  },
});
