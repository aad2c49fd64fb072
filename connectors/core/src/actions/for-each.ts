import { ConnectorError, defineAction, prop, type JsonValue } from '@tributary/connector-sdk';
import { annotate, scopeBindings } from '../scope.ts';
import { asJsonOutput, logCodeLines } from './output.ts';

/**
 * `core.forEach`: applies a JSONata expression or JavaScript to every item of a list, in the isolate,
 * at most `concurrency` items at a time, and returns the results in item order. The item is the
 * expression's input (`$`) and is also bound as `$item` and `$index` (code: `input`, `context.item`,
 * `context.index`). The first failing item fails the step, its index in the message and details.
 */
export const forEachAction = defineAction({
  name: 'forEach',
  label: 'For each',
  description: 'Transform every item of a list with an expression or code (in the sandbox, a few at a time) and return the list of results.',
  group: 'Data',
  kind: 'logic',
  runsIn: 'isolate',
  props: {
    items: prop.json({ label: 'Items', description: 'A list, usually an expression such as $trigger.line_items; default: the input' }),
    mode: prop.select({ label: 'Apply', default: 'expression', options: [{ value: 'expression', label: 'JSONata expression' }, { value: 'code', label: 'JavaScript' }] }),
    expression: prop.jsonata({ label: 'Expression per item', placeholder: '{ "sku": sku, "qty": quantity, "line": $index + 1 }' }),
    code: prop.code({ label: 'Code per item', placeholder: 'return { sku: input.sku, qty: input.quantity };' }),
    concurrency: prop.integer({ label: 'Items at a time', default: 4, min: 1, max: 32, advanced: true }),
    maxItems: prop.integer({ label: 'Most items', default: 10_000, min: 1, max: 100_000, advanced: true }),
  },
  exampleProps: { items: [{ sku: 'A-1', quantity: 2 }], mode: 'expression', expression: '{ "sku": sku, "qty": quantity, "line": $index + 1 }' },
  sampleOutput: [{ sku: 'A-1', qty: 2, line: 1 }],
  async run(ctx) {
    const { props } = ctx;
    const source: JsonValue = props.items === undefined ? ctx.input : asJsonOutput(props.items, 'items');
    if (!Array.isArray(source)) {
      throw new ConnectorError('CONFIG_INVALID', `items must be a list, got ${source === null ? 'null' : typeof source}`, { details: { path: 'items' } });
    }
    if (source.length > props.maxItems) {
      throw new ConnectorError('CONFIG_INVALID', `items has ${source.length} entries, more than the ${props.maxItems} allowed (raise maxItems or batch first)`, { details: { path: 'items', count: source.length } });
    }
    const body = props.mode === 'code' ? props.code : props.expression;
    if (body === undefined || body.trim() === '') {
      const field = props.mode === 'code' ? 'code' : 'expression';
      throw new ConnectorError('CONFIG_INVALID', `"${field}" is required when applying ${props.mode === 'code' ? 'JavaScript' : 'an expression'}`, { details: { path: field } });
    }
    const bindings = scopeBindings(ctx);
    const one = async (item: JsonValue, index: number): Promise<JsonValue> => {
      if (props.mode === 'code') {
        const { result, logs } = await ctx.sandbox.runCode({ code: body, input: item, context: { ...bindings, item, index }, limits: ctx.limits });
        logCodeLines(ctx.log, logs, { index });
        return asJsonOutput(result, `the code for item ${index}`);
      }
      return asJsonOutput(await ctx.sandbox.evaluate({ expression: body, input: item, bindings: { ...bindings, item, index }, limits: ctx.limits }), `the expression for item ${index}`);
    };

    const results: JsonValue[] = new Array<JsonValue>(source.length);
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
      while (!failed && next < source.length) {
        const i = next++;
        ctx.signal.throwIfAborted();
        try {
          results[i] = await one(source[i] as JsonValue, i);
        } catch (err) {
          failed = true;
          throw annotate(err, `item ${i}`, { index: i });
        }
      }
    };
    const workers = Array.from({ length: Math.min(props.concurrency, source.length) }, () => worker());
    // allSettled first, so no worker is still running when the step reports its failure.
    const settled = await Promise.allSettled(workers);
    const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (rejected) throw rejected.reason;
    return results;
  },
});
