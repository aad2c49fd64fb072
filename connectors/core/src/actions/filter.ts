import { defineAction, prop, routed } from '@tributary/connector-sdk';

/**
 * `core.filter`: lets the input through when `condition` is true. The condition is normally an
 * expression (`{ "$expr": "$trigger.financial_status = 'paid'" }`) that the engine evaluates in the
 * isolate before the step runs. When false the step fires no port: nothing downstream of it runs,
 * and the run still succeeds (the step is recorded with no ports).
 */
export const filterAction = defineAction({
  name: 'filter',
  label: 'Filter',
  description: 'Continue only when the condition is true; otherwise nothing after this step runs (the run still succeeds).',
  group: 'Logic',
  kind: 'logic',
  runsIn: 'isolate',
  props: {
    condition: prop.boolean({ label: 'Condition', required: true, description: 'Usually an expression, e.g. $trigger.total_price > 100' }),
  },
  exampleProps: { condition: true },
  sampleOutput: { id: 1001, financial_status: 'paid' },
  async run(ctx) {
    return ctx.props.condition ? ctx.input : routed([], ctx.input);
  },
});
