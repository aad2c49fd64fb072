// Runs INSIDE the isolate, in the one long-lived mapping context of each isolate. Compiles (with an
// LRU cache keyed by text) and evaluates a mapping, and answers with an EvaluateEnvelope as JSON text.
//
// Why reusing this context leaks nothing between evaluations (see README "Isolation"): a JSONata
// expression cannot reach JavaScript globals or prototypes (jsonata's path lookup reads own data
// properties only and never a function's), every evaluation binds into a fresh frame, input, bindings
// and tables are parsed afresh for each call, and the bundle is patched so the transform operator can
// only mutate its own deep clone and jsonata's function definitions are locked (bundle.ts).

import jsonata from 'jsonata';
import { registerLibrary } from '@tributary/mapping/library';
import { describeMappingFailure } from './failure.ts';
import { toJsonText } from './json-out.ts';
import type { IsolateFailure } from './protocol.ts';

const stringify = JSON.stringify;
const parse = JSON.parse;

/** Compiled expressions of this isolate, most recently used last. Bounded by count and by source size. */
const cache = new Map<string, jsonata.Expression>();
let cachedChars = 0;
const maxCachedChars = 1_000_000;

function compile(text: string, cacheSize: number): jsonata.Expression {
  const hit = cache.get(text);
  if (hit !== undefined) {
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const expression = jsonata(text);
  // The library is bundled from @tributary/mapping/library; guard in case a build ships without it.
  if (typeof registerLibrary === 'function') registerLibrary(expression);
  if (cacheSize > 0 && text.length <= maxCachedChars) {
    cache.set(text, expression);
    cachedChars += text.length;
    for (const key of cache.keys()) {
      if (cache.size <= cacheSize && cachedChars <= maxCachedChars) break;
      cache.delete(key);
      cachedChars -= key.length;
    }
  }
  return expression;
}

function failed(failure: IsolateFailure): string {
  return stringify({ ok: false, error: failure });
}

/**
 * Evaluates `text` on the input. `bindingsJson` is an object of variables (`trigger` is read as
 * `$trigger`); lookup tables travel in it as `tables`, which the library's `$lookup` reads.
 */
export async function evaluateMapping(
  text: string,
  inputJson: string | undefined,
  bindingsJson: string | undefined,
  outputBytes: number,
  cacheSize: number,
): Promise<string> {
  let expression: jsonata.Expression;
  try {
    expression = compile(text, cacheSize);
  } catch (error) {
    return failed(describeMappingFailure(error));
  }
  let input: unknown;
  let bindings: Record<string, unknown>;
  try {
    input = inputJson === undefined ? undefined : parse(inputJson);
    const parsed: unknown = bindingsJson === undefined ? {} : parse(bindingsJson);
    // Always a fresh object: jsonata binds it into a new frame, so nothing is bound on the cached expression.
    bindings = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch (error) {
    return failed({ kind: 'input', message: error instanceof Error ? error.message : String(error) });
  }
  let result: unknown;
  try {
    result = await expression.evaluate(input, bindings);
  } catch (error) {
    return failed(describeMappingFailure(error));
  }
  const out = toJsonText(result, { outputBytes, jsonata: true, who: 'The mapping' });
  if (!out.ok) return failed(out.failure);
  return out.json === undefined ? '{"ok":true}' : `{"ok":true,"result":${out.json}}`;
}

/** The settled answer of the evaluation started last by `startEvaluation`; undefined while it is pending. */
let settled: string | undefined;

/**
 * The synchronous protocol (host `applySync`): starts an evaluation and returns nothing. jsonata is
 * async only in form, so with nothing to wait on it settles in the microtask checkpoint that isolated-vm
 * runs before `applySync` returns (inside the same time limit); `takeEvaluation` then hands the envelope
 * over. Undefined from `takeEvaluation` means the evaluation waits on something that never comes.
 */
export function startEvaluation(
  text: string,
  inputJson: string | undefined,
  bindingsJson: string | undefined,
  outputBytes: number,
  cacheSize: number,
): void {
  settled = undefined;
  evaluateMapping(text, inputJson, bindingsJson, outputBytes, cacheSize).then(
    (envelope) => {
      settled = envelope;
    },
    (error: unknown) => {
      settled = failed(describeMappingFailure(error));
    },
  );
}

export function takeEvaluation(): string | undefined {
  const envelope = settled;
  settled = undefined;
  return envelope;
}
