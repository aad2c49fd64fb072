import { defineAction, prop } from '@tributary/connector-sdk';
import { scopeBindings } from '../scope.ts';
import { asJsonOutput } from './output.ts';

/**
 * `core.map`: one JSONata expression over the step's input, evaluated in the isolate with the run
 * context bound as `$trigger`, `$steps`, `$vars`, `$execution`. "No match" gives `null`.
 */
export const mapAction = defineAction({
  name: 'map',
  label: 'Map',
  description: 'Transform data with a JSONata expression. The input is `$`; `$trigger`, `$steps.<id>`, `$vars` and `$execution` are available.',
  group: 'Data',
  kind: 'logic',
  runsIn: 'isolate',
  props: {
    expression: prop.jsonata({ label: 'Expression', required: true, placeholder: '{ "orderNo": name, "lines": line_items.{ "sku": sku, "qty": quantity } }' }),
  },
  exampleProps: { expression: '{ "orderNo": $trigger.name, "total": $number($trigger.total_price) }' },
  sampleOutput: { orderNo: '#1001', total: 129.5 },
  async run(ctx) {
    const result = await ctx.sandbox.evaluate({ expression: ctx.props.expression, input: ctx.input, bindings: scopeBindings(ctx), limits: ctx.limits });
    return asJsonOutput(result, 'the map expression');
  },
});

