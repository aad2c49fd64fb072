import { readFileSync } from 'node:fs';
import { libraryDocs, registerLibrary } from '@tributary/mapping/library';
import jsonata from 'jsonata';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createSandbox, SandboxError } from '../src/index.ts';
import { type EvaluateCall, IsolateSlot } from '../src/isolate-slot.ts';
import { failure } from './support.ts';

const sandbox = createSandbox({ poolSize: 2 });
afterAll(() => sandbox.close());

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('evaluate', () => {
  it('maps the Shopify B2B order exactly as jsonata with the library does in the host', async () => {
    const mapping = fixture('shopify-order-to-erp-sales-order.jsonata');
    const order: unknown = JSON.parse(fixture('shopify-orders-create.json'));
    const expected: unknown = await registerLibrary(jsonata(mapping)).evaluate(order);
    const result = await sandbox.evaluate({ expression: mapping, input: order });
    expect(result).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(result).toMatchObject({ externalDocumentNumber: '#W1042', paymentTermsCode: 'NET30' });
  });

  it.each([
    ['$sum(items.price)', { items: [{ price: 2 }, { price: 3.5 }] }, 5.5],
    ['items[price > 2].sku', { items: [{ sku: 'A', price: 2 }, { sku: 'B', price: 3 }] }, 'B'],
    ['$uppercase(name)', { name: 'ada' }, 'ADA'],
    ['{ "n": $count($) }', [1, 2, 3], { n: 3 }],
    ['$', null, null],
    ['"no input needed"', undefined, 'no input needed'],
  ])('evaluates %s', async (expression, input, expected) => {
    expect(await sandbox.evaluate({ expression, input })).toEqual(expected);
  });

  it('resolves to undefined when nothing matches', async () => {
    expect(await sandbox.evaluate({ expression: 'missing.field', input: { a: 1 } })).toBeUndefined();
  });

  it('reads bindings as variables, with or without a leading $ in the key', async () => {
    const result = await sandbox.evaluate({
      expression: '$trigger.name & " / " & $string($steps.toSalesOrder.total) & " / " & $vars.region & " / " & $execution.id',
      input: {},
      bindings: { $trigger: { name: '#W1042' }, steps: { toSalesOrder: { total: 1840 } }, vars: { region: 'EU' }, $execution: { id: 'run_1' } },
    });
    expect(result).toBe('#W1042 / 1840 / EU / run_1');
  });

  it('sends an input that is also a binding once, and binds it to both', async () => {
    const order = { name: '#W1042', lines: [{ sku: 'A', qty: 2 }] };
    let sent: EvaluateCall[] = [];
    const evaluate = vi.spyOn(IsolateSlot.prototype, 'evaluate');
    const evaluateSync = vi.spyOn(IsolateSlot.prototype, 'evaluateSync');
    try {
      const expression = '[$.name, $trigger.name, $trigger = $, $count($trigger.lines), $steps.a]';
      // Off the thread first, then on it once the expression is known to be quick.
      for (let i = 0; i < 3; i++) {
        expect(await sandbox.evaluate({ expression, input: order, bindings: { trigger: order, steps: { a: 1 } } })).toEqual(['#W1042', '#W1042', true, 1, 1]);
      }
      // An equal copy is not the input itself: it travels as a binding of its own.
      expect(await sandbox.evaluate({ expression, input: order, bindings: { trigger: structuredClone(order), steps: { a: 1 } } })).toEqual(['#W1042', '#W1042', true, 1, 1]);
      sent = [...evaluate.mock.calls, ...evaluateSync.mock.calls].map(([call]) => call);
    } finally {
      evaluate.mockRestore();
      evaluateSync.mockRestore();
    }
    expect(sent.length).toBeGreaterThanOrEqual(4);
    const aliased = sent.filter((call) => call.inputAs === 'trigger');
    expect(aliased.length).toBe(sent.length - 1);
    for (const call of aliased) expect(JSON.parse(call.bindingsJson ?? '{}')).toEqual({ steps: { a: 1 } });
  });

  it('gives $lookup the host tables', async () => {
    const tables = { paymentTerms: { 'Net 30': 'NET30' } };
    const expression = '[$lookup("paymentTerms", "Net 30", "COD"), $lookup("paymentTerms", "Due on receipt", "COD")]';
    expect(await sandbox.evaluate({ expression, input: {}, tables })).toEqual(['NET30', 'COD']);
  });

  it('runs the mapping library inside the isolate', async () => {
    expect(await sandbox.evaluate({ expression: '$coalesce(null, "x")', input: {} })).toBe('x');
    expect(await sandbox.evaluate({ expression: '$money("2.675")', input: {} })).toBe(2.68);
    expect(await sandbox.evaluate({ expression: '$splitName("Dr. Jane van der Berg")', input: {} })).toEqual({ first: 'Jane', last: 'van der Berg' });
  });

  it('gives every documented library example its documented result', async () => {
    const examples = libraryDocs.flatMap((doc) => doc.examples.map((example) => ({ name: doc.name, ...example })));
    expect(examples.length).toBeGreaterThan(40);
    // All at once over two isolates, each compiling its expression and some loading ICU data first: on a
    // loaded CI machine one took over the default 1 s once, so the limit here is about results, not speed.
    const limits = { timeoutMs: 10_000 };
    const results = await Promise.all(
      examples.map((e) => sandbox.evaluate({ expression: e.expression, input: e.input ?? {}, limits, ...(e.tables === undefined ? {} : { tables: e.tables }) })),
    );
    results.forEach((result, i) => expect({ expression: examples[i]?.expression, result }).toEqual({ expression: examples[i]?.expression, result: examples[i]?.result }));
  });

  it('drops nested functions per JSON rules and rejects a function result', async () => {
    expect(await sandbox.evaluate({ expression: '{ "f": function($x) { $x }, "n": 1, "a": [1, $string] }', input: {} })).toEqual({ n: 1, a: [1, null] });
    const error = await failure(sandbox.evaluate({ expression: 'function($x) { $x }', input: {} }));
    expect(error.code).toBe('MAPPING_RUNTIME');
    expect(error.message).toMatch(/function, which is not JSON/);
  });
});

describe('evaluation errors', () => {
  it('reports a syntax error as MAPPING_SYNTAX with line and column', async () => {
    const error = await failure(sandbox.evaluate({ expression: '{\n  "a": name,\n  "b": (price\n}', input: {} }));
    expect(error).toMatchObject({ code: 'MAPPING_SYNTAX', kind: 'user', retryable: false });
    expect(error.details).toMatchObject({ line: 4, column: 1 });
    expect(error.message).toMatch(/line 4, column 1/);
  });

  it.each([
    ['(\n  $a := 1;\n  $a + "x"\n)', 'MAPPING_RUNTIME', 3, 6, /right side of the "\+" operator/],
    ['$money("abc")', 'MAPPING_ARGUMENT', 1, 1, /\$money: argument 1/],
    ['{ "x": $lowcase(name) }', 'MAPPING_UNKNOWN_FUNCTION', 1, 8, /\$lowcase/],
    ['$error("stop here")', 'MAPPING_RUNTIME', 1, 1, /stop here/],
  ])('reports %j as %s at line %i, column %i', async (expression, code, line, column, message) => {
    const error = await failure(sandbox.evaluate({ expression, input: { name: 'x' } }));
    expect(error.code).toBe(code);
    expect(error.details).toMatchObject({ line, column });
    expect(error.message).toMatch(message);
  });

  it('serialises errors as { name, code, message, details }', async () => {
    const error = await failure(sandbox.evaluate({ expression: '$nope(', input: {} }));
    const json: unknown = JSON.parse(JSON.stringify(error));
    expect(json).toEqual({ name: 'SandboxError', code: 'MAPPING_SYNTAX', message: error.message, details: error.details });
  });

  it.each([
    ['limits with an unknown field', { expression: '1', input: {}, limits: { seconds: 1 } }, /limits/],
    ['a negative time limit', { expression: '1', input: {}, limits: { timeoutMs: -5 } }, /limits\.timeoutMs/],
    ['a heap under 8 MB', { expression: '1', input: {}, limits: { memoryMb: 4 } }, /limits\.memoryMb/],
    ['an expression that is not text', { expression: 42, input: {} }, /request\.expression/],
  ])('refuses %s with SANDBOX_INVALID_REQUEST', async (_what, request, message) => {
    const error = await failure(sandbox.evaluate(request as never));
    expect(error.code).toBe('SANDBOX_INVALID_REQUEST');
    expect(error.message).toMatch(message);
  });

  it('refuses input that is not JSON', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const error = await failure(sandbox.evaluate({ expression: '$', input: cyclic }));
    expect(error.code).toBe('SANDBOX_INVALID_REQUEST');
    expect(error.details).toMatchObject({ field: 'input' });
  });
});
