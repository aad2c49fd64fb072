import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../src/index.ts';
import { failure } from './support.ts';

const sandbox = createSandbox({ poolSize: 2, defaults: { timeoutMs: 5_000 }, logs: { maxLines: 5, maxBytes: 200 } });
afterAll(() => sandbox.close());

describe('runCode', () => {
  it('runs an async function body over input and context and returns its JSON result', async () => {
    const { result, logs } = await sandbox.runCode({
      code: 'const total = input.lines.reduce((s, l) => s + l.qty * l.price, 0);\nreturn { order: context.trigger.name, total };',
      input: { lines: [{ qty: 2, price: 1.5 }, { qty: 1, price: 4 }] },
      context: { trigger: { name: '#W1042' } },
    });
    expect(result).toEqual({ order: '#W1042', total: 7 });
    expect(logs).toEqual([]);
  });

  it('awaits resolved promises', async () => {
    const { result } = await sandbox.runCode({ code: 'const a = await Promise.resolve(20); const b = await (async () => 22)(); return a + b;', input: null, context: null });
    expect(result).toBe(42);
  });

  it('captures console output with level, message and time', async () => {
    const { logs } = await sandbox.runCode({
      code: 'console.log("n =", input.n, { a: [1] }); console.info("i"); console.warn("w"); console.error(new Error("e")); console.debug(undefined); return 1',
      input: { n: 1 },
      context: {},
    });
    expect(logs.map(({ level, message }) => ({ level, message: message.split('\n')[0] }))).toEqual([
      { level: 'info', message: 'n = 1 {"a":[1]}' },
      { level: 'info', message: 'i' },
      { level: 'warn', message: 'w' },
      { level: 'error', message: 'Error: e' },
      { level: 'debug', message: 'undefined' },
    ]);
    for (const line of logs) expect(Number.isNaN(Date.parse(line.at))).toBe(false);
  });

  it('caps console output by lines and says how many were dropped', async () => {
    const { logs } = await sandbox.runCode({ code: 'for (let i = 0; i < 50; i++) console.log(i); return 1', input: {}, context: {} });
    expect(logs.slice(0, 5).map((l) => l.message)).toEqual(['0', '1', '2', '3', '4']);
    expect(logs).toHaveLength(6);
    expect(logs[5]).toMatchObject({ level: 'warn', message: expect.stringMatching(/45 more console line\(s\) dropped/) });
  });

  it('caps console output by size, cutting the line that crosses the cap', async () => {
    const { logs } = await sandbox.runCode({ code: 'console.log("a".repeat(150)); console.log("b".repeat(150)); console.log("c"); return 1', input: {}, context: {} });
    expect(logs[0]?.message).toHaveLength(150);
    expect(logs[1]?.message).toBe(`${'b'.repeat(50)}…`);
    expect(logs[2]?.message).toMatch(/1 more console line\(s\) dropped/);
  });

  it('has no timers', async () => {
    const error = await failure(sandbox.runCode({ code: 'await new Promise((resolve) => setTimeout(resolve, 10)); return 1', input: {}, context: {} }));
    expect(error.code).toBe('CODE_ERROR');
    expect(error.message).toMatch(/setTimeout is not defined/);
  });
});

describe('code errors', () => {
  it("reports a thrown error as CODE_ERROR with the user's line and column, keeping the logs", async () => {
    const error = await failure(
      sandbox.runCode({ code: 'console.log("before");\nconst order = input.order;\nreturn order.lines.length;', input: {}, context: {} }),
    );
    expect(error).toMatchObject({ code: 'CODE_ERROR', kind: 'user', retryable: false });
    expect(error.message).toMatch(/^TypeError: Cannot read properties of undefined \(reading 'lines'\) \(line 3, column 14\)$/);
    expect(error.details).toMatchObject({ name: 'TypeError', line: 3, column: 14, logs: [{ level: 'info', message: 'before' }] });
  });

  it('reports a syntax error with its position', async () => {
    const error = await failure(sandbox.runCode({ code: 'const a = 1;\nconst b = ;\nreturn a;', input: {}, context: {} }));
    expect(error.code).toBe('CODE_ERROR');
    expect(error.details).toMatchObject({ name: 'SyntaxError', line: 2, column: 11 });
  });

  it.each([
    ['a string', 'throw "no customer"', /^no customer$/],
    ['an object', 'throw { reason: "no customer" }', /"reason":"no customer"/],
    ['a custom error', 'class MissingCustomer extends Error { name = "MissingCustomer" }\nthrow new MissingCustomer("no customer")', /^MissingCustomer: no customer \(line 2, column 7\)$/],
  ])('reports throwing %s', async (_what, code, message) => {
    const error = await failure(sandbox.runCode({ code, input: {}, context: {} }));
    expect(error.code).toBe('CODE_ERROR');
    expect(error.message).toMatch(message);
  });

  it('stops an endless loop with MAPPING_TIMEOUT and returns what it logged', async () => {
    const error = await failure(sandbox.runCode({ code: 'console.log("starting"); while (true) {}', input: {}, context: {}, limits: { timeoutMs: 100 } }));
    expect(error).toMatchObject({ code: 'MAPPING_TIMEOUT', kind: 'user', retryable: false });
    expect(error.message).toMatch(/The code ran longer than the time limit of 100 ms/);
    expect(error.details).toMatchObject({ logs: [{ message: 'starting' }] });
  });

  it('stops a wait that can never end', async () => {
    const error = await failure(sandbox.runCode({ code: 'await new Promise(() => {}); return 1', input: {}, context: {}, limits: { timeoutMs: 100 } }));
    expect(error.code).toBe('MAPPING_TIMEOUT');
  });

  it.each([
    ['an unbounded array', 'const a = []; while (true) a.push(new Array(1e5).fill(1));'],
    ['a doubling string', 'let s = "x"; while (true) s += s;'],
  ])('stops %s with MAPPING_MEMORY', async (_what, code) => {
    const error = await failure(sandbox.runCode({ code, input: {}, context: {}, limits: { timeoutMs: 20_000, memoryMb: 16 } }));
    expect(error.code).toBe('MAPPING_MEMORY');
    expect(error.message).toMatch(/16 MB/);
  });

  it('refuses an output over the limit', async () => {
    const error = await failure(sandbox.runCode({ code: 'return "x".repeat(1000)', input: {}, context: {}, limits: { outputBytes: 500 } }));
    expect(error.code).toBe('MAPPING_OUTPUT_TOO_LARGE');
    expect(error.details).toMatchObject({ limit: 'outputBytes', value: 500, size: 1002 });
  });

  it('keeps working after code runs that broke their own context', async () => {
    await sandbox.runCode({ code: 'JSON.stringify = null; console.log = null; return 1', input: {}, context: {} }).catch(() => undefined);
    const { result, logs } = await sandbox.runCode({ code: 'console.log("ok"); return JSON.stringify([1])', input: {}, context: {} });
    expect({ result, logs: logs.map((l) => l.message) }).toEqual({ result: '[1]', logs: ['ok'] });
  });
});
