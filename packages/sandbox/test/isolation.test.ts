import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../src/index.ts';
import { failure } from './support.ts';

// One isolate: every call below runs in the same isolate (and every mapping in the same context), so
// anything one call left behind would be visible to the next.
const sandbox = createSandbox({ poolSize: 1, defaults: { timeoutMs: 5_000 } });
afterAll(() => sandbox.close());

const evaluate = (expression: string, input: unknown = {}): Promise<unknown> => sandbox.evaluate({ expression, input });
const run = async (code: string): Promise<unknown> => (await sandbox.runCode({ code, input: {}, context: {} })).result;

/** Every global an ECMAScript engine defines, plus the console the code runner installs. */
const standardGlobals = new Set([
  'AggregateError', 'Array', 'ArrayBuffer', 'AsyncDisposableStack', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'Boolean', 'DataView',
  'Date', 'DisposableStack', 'Error', 'EvalError', 'FinalizationRegistry', 'Float16Array', 'Float32Array', 'Float64Array', 'Function',
  'Infinity', 'Int16Array', 'Int32Array', 'Int8Array', 'Intl', 'Iterator', 'JSON', 'Map', 'Math', 'NaN', 'Number', 'Object', 'Promise',
  'Proxy', 'RangeError', 'ReferenceError', 'Reflect', 'RegExp', 'Set', 'String', 'SuppressedError', 'Symbol', 'SyntaxError', 'TypeError',
  'URIError', 'Uint16Array', 'Uint32Array', 'Uint8Array', 'Uint8ClampedArray', 'WeakMap', 'WeakRef', 'WeakSet', 'console',
  'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'eval', 'globalThis', 'isFinite', 'isNaN',
  'parseFloat', 'parseInt', 'undefined', 'unescape',
  // read by the host after a timeout to recover the run's console lines; returns JSON text only
  '__tributary_logs',
]);

describe('what code can reach', () => {
  it.each([
    ['process', 'return typeof process'],
    ['require', 'return typeof require'],
    ['module', 'return typeof module'],
    ['Buffer', 'return typeof Buffer'],
    ['fetch', 'return typeof fetch'],
    ['setTimeout', 'return typeof setTimeout'],
    ['setInterval', 'return typeof setInterval'],
    ['setImmediate', 'return typeof setImmediate'],
    ['queueMicrotask', 'return typeof queueMicrotask'],
    ['WebAssembly', 'return typeof WebAssembly'],
    ['SharedArrayBuffer', 'return typeof SharedArrayBuffer'],
    ['the mapping runtime', 'return typeof __tributary_evaluate + typeof __tributary_evaluateNow + typeof __tributary_runCode'],
  ])('has no %s', async (_name, code) => {
    expect(String(await run(code))).toMatch(/^(undefined)+$/);
  });

  it('cannot import modules', async () => {
    const error = await failure(run('await import("node:fs"); return 1'));
    expect(error.code).toBe('CODE_ERROR');
  });

  it.each([
    ['constructor.constructor', "return (() => {}).constructor.constructor('return typeof process')()"],
    ['this.constructor.constructor', "return this === undefined ? 'undefined' : this.constructor.constructor('return typeof process')()"],
    ['Function', "return Function('return typeof process + typeof require')()"],
    ['eval', "return eval('typeof process')"],
    ['an async function constructor', "return await (async () => {}).constructor('return typeof process')()"],
  ])('reaches nothing of the host through %s', async (_how, code) => {
    expect(String(await run(code))).toMatch(/^(undefined)+$/);
  });

  it("sees only the isolate's own, standard global object", async () => {
    const names = await run("return Object.getOwnPropertyNames(Function('return this')())");
    expect(Array.isArray(names)).toBe(true);
    const extra = (names as string[]).filter((name) => !standardGlobals.has(name));
    expect(extra).toEqual([]);
  });

  it('gets data, not host objects: input and context arrive as plain JSON copies', async () => {
    const { result } = await sandbox.runCode({
      code: 'return [Object.getPrototypeOf(input) === Object.prototype, typeof input.when, Object.keys(context)]',
      input: { when: new Date(0) },
      context: { trigger: { id: 1 } },
    });
    expect(result).toEqual([true, 'string', ['trigger']]);
  });

  it('returns JSON only: functions, undefined and symbols are dropped, cycles refused', async () => {
    expect(await run('return { f() {}, u: undefined, s: Symbol("x"), a: [() => 1, 2], d: new Date(0) }')).toEqual({
      a: [null, 2],
      d: '1970-01-01T00:00:00.000Z',
    });
    expect(await run('return undefined')).toBeUndefined();
    const cyclic = await failure(run('const a = {}; a.self = a; return a'));
    expect(cyclic.code).toBe('CODE_ERROR');
    expect(cyclic.message).toMatch(/not JSON/);
    const fn = await failure(run('return function leak() { return globalThis }'));
    expect(fn.message).toMatch(/function, which is not JSON/);
  });
});

describe('nothing a run sets is visible to a later run', () => {
  it('code: globals and prototype changes die with the run', async () => {
    await run(`
      globalThis.leak = 'yes';
      Array.prototype.polluted = 1;
      Object.prototype.polluted = 1;
      JSON.stringify = () => '"hijacked"';
      Math.random = () => 4;
      return 1`);
    expect(await run('return [typeof leak, [].polluted, ({}).polluted, JSON.stringify({ a: 1 }), Math.random() === 4]')).toEqual([
      'undefined',
      null,
      null,
      '{"a":1}',
      false,
    ]);
  });

  it('code: prototype changes do not reach mappings in the same isolate', async () => {
    // jsonata awaits anything with a `then` and JSON.stringify honours toJSON: either would show here.
    // (The run itself may fail: its own answer is serialised in its polluted context.)
    await run(`
      Object.prototype.then = function (resolve) { resolve('hijacked'); };
      Array.prototype.toJSON = () => 'hijacked';
      String.prototype.toUpperCase = () => 'HIJACKED';
      return 1`).catch(() => undefined);
    expect(await evaluate('{ "a": { "b": [1, 2] }, "u": $uppercase("x") }')).toEqual({ a: { b: [1, 2] }, u: 'X' });
  });

  it("mapping: a rebound $clone cannot make the transform operator corrupt a built-in", async () => {
    // In plain jsonata this sets $string's signature to null for every later evaluation in the realm.
    await evaluate('( $clone := function($v){ $string }; {} ~> |$|{"signature": null, "implementation": 1, "x": 1}| )');
    await evaluate('( $clone := function($v){ $lookup }; {} ~> |$|{"implementation": 1}| )');
    expect(await evaluate('[$string(1), $lookup({"a": 2}, "a")]')).toEqual(['1', 2]);
  });

  it('mapping: top-level assignments do not persist on the cached expression', async () => {
    const expression = '$count := ($count ? $count : 0) + 1';
    expect(await evaluate(expression)).toBe(1);
    expect(await evaluate(expression)).toBe(1);
  });

  it('mapping: tables and bindings of one call are gone in the next', async () => {
    const first = await sandbox.evaluate({ expression: '$lookup("t", "k")', input: {}, tables: { t: { k: 'v' } }, bindings: { vars: { x: 1 } } });
    expect(first).toBe('v');
    const error = await failure(sandbox.evaluate({ expression: '$lookup("t", "k")', input: {} }));
    expect(error.code).toBe('MAPPING_ARGUMENT');
    expect(await evaluate('$vars.x')).toBeUndefined();
  });

  it('mapping: JavaScript objects stay out of reach', async () => {
    expect(
      await evaluate('[$string.constructor, {}.constructor, $.__proto__, $eval("$string.constructor"), $keys($string), $type($string)]'),
    ).toEqual(['function']);
  });
});
