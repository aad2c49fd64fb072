import { defineAction, prop } from '@tributary/connector-sdk';
import { scopeBindings } from '../scope.ts';
import { asJsonOutput, logCodeLines } from './output.ts';

/**
 * `core.code`: JavaScript run in the isolate (no require, process, fetch or timers). The code sees
 * `input` and `context` (`{ trigger, steps, vars, execution }`) and returns the step's output.
 * Lines it logs are written to the step's log (`ctx.log`), which the engine records with the step.
 */
export const codeAction = defineAction({
  name: 'code',
  label: 'Code',
  description: 'Run JavaScript in an isolated sandbox. Use `input` and `context.trigger`, `context.steps`, `context.vars`; `return` the output. console.log lines appear in the step log.',
  group: 'Data',
  kind: 'logic',
  runsIn: 'isolate',
  props: {
    code: prop.code({ label: 'Code', required: true, placeholder: 'return input.lines.filter((l) => l.qty > 0);' }),
  },
  exampleProps: { code: 'return { count: input.line_items.length };' },
  sampleOutput: { count: 2 },
  async run(ctx) {
    const { result, logs } = await ctx.sandbox.runCode({ code: ctx.props.code, input: ctx.input, context: scopeBindings(ctx), limits: ctx.limits });
    logCodeLines(ctx.log, logs);
    return asJsonOutput(result, 'the code');
  },
});
