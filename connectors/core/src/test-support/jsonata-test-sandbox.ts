import { runInNewContext } from 'node:vm';
import jsonata from 'jsonata';
import type { LogLine, SandboxPort } from '@tributary/connector-sdk';

/**
 * TEST DOUBLE of the sandbox port (not of Redis or PostgreSQL): evaluates JSONata with the jsonata
 * package and code in a node:vm context, JSON in and JSON out like the real isolate. It exists only
 * because @tributary/sandbox was not available when these tests were written; it offers none of
 * the isolate's limits and must never be used outside tests.
 */
export function jsonataTestSandbox(): SandboxPort & { calls: Array<{ kind: 'evaluate' | 'runCode'; limits: unknown }> } {
  const calls: Array<{ kind: 'evaluate' | 'runCode'; limits: unknown }> = [];
  const json = (v: unknown): unknown => (v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as unknown));
  return {
    calls,
    async evaluate(req) {
      calls.push({ kind: 'evaluate', limits: req.limits });
      let expr: ReturnType<typeof jsonata>;
      try {
        expr = jsonata(req.expression);
      } catch (err) {
        throw Object.assign(new Error(`syntax error: ${(err as { message?: string }).message ?? String(err)}`), { code: 'MAPPING_SYNTAX', kind: 'user', retryable: false });
      }
      try {
        return json(await expr.evaluate(json(req.input), (json(req.bindings) ?? {}) as Record<string, unknown>));
      } catch (err) {
        throw Object.assign(new Error((err as { message?: string }).message ?? String(err)), { code: 'MAPPING_RUNTIME', kind: 'user', retryable: false });
      }
    },
    async runCode(req) {
      calls.push({ kind: 'runCode', limits: req.limits });
      const logs: LogLine[] = [];
      const at = (): string => new Date(0).toISOString();
      const line = (level: LogLine['level']) => (...args: unknown[]) => void logs.push({ level, message: args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '), at: at() });
      const console = { log: line('info'), info: line('info'), debug: line('debug'), warn: line('warn'), error: line('error') };
      try {
        const fn = runInNewContext(`(async function (input, context, console) {\n${req.code}\n})`, {}) as (i: unknown, c: unknown, l: unknown) => Promise<unknown>;
        const result = await fn(json(req.input), json(req.context), console);
        return { result: json(result), logs };
      } catch (err) {
        throw Object.assign(new Error((err as { message?: string }).message ?? String(err)), { code: 'CODE_RUNTIME', kind: 'user', retryable: false });
      }
    },
  };
}
