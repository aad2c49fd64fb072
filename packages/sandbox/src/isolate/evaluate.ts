// Runs INSIDE the isolate, in the one long-lived mapping context of each isolate. Compiles (with an
// LRU cache keyed by text) and evaluates a mapping, and answers with an EvaluateEnvelope as JSON text.
//
// Why reusing this context leaks nothing between evaluations (see README "Isolation"): a JSONata
// expression cannot reach JavaScript globals or prototypes (jsonata's path lookup reads own data
// properties only and never a function's), every evaluation binds into a fresh frame, input, bindings
// and tables are parsed afresh for each call, and the bundle is patched so the transform operator can
// only mutate its own deep clone and jsonata's function definitions are locked (bundle.ts).

import jsonata from 'jsonata';
import jsonataSync, { type SyncExpression } from '#jsonata-sync';
import { registerLibrary } from '@tributary/mapping/library';
import { describeMappingFailure } from './failure.ts';
import { toJsonText } from './json-out.ts';
import type { IsolateFailure, MappingArgs } from './protocol.ts';

const stringify = JSON.stringify;
const parse = JSON.parse;

/** Compiled expressions of this isolate (synchronous build), most recently used last. Bounded by count and by source size. */
const cache = new Map<string, SyncExpression>();
let cachedChars = 0;
const maxCachedChars = 1_000_000;

function withLibrary<T extends SyncExpression | jsonata.Expression>(expression: T): T {
  // The library is bundled from @tributary/mapping/library; guard in case a build ships without it.
  if (typeof registerLibrary === 'function') registerLibrary(expression as jsonata.Expression);
  return expression;
}

function compile(text: string, cacheSize: number): SyncExpression {
  const hit = cache.get(text);
  if (hit !== undefined) {
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const expression = withLibrary(jsonataSync(text));
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

/** Only the asynchronous build recurses without bound (each await unwinds the stack): see ../bundle.ts. */
function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /maximum call stack/i.test(error.message);
}

type Prepared = { ok: true; expression: SyncExpression; input: unknown; bindings: Record<string, unknown> } | { ok: false; envelope: string };

function prepare([text, inputJson, bindingsJson, , cacheSize, inputAs]: MappingArgs): Prepared {
  let expression: SyncExpression;
  try {
    expression = compile(text, cacheSize);
  } catch (error) {
    return { ok: false, envelope: failed(describeMappingFailure(error)) };
  }
  try {
    const input: unknown = inputJson === undefined ? undefined : parse(inputJson);
    const parsed: unknown = bindingsJson === undefined ? {} : parse(bindingsJson);
    // Always a fresh object: jsonata binds it into a new frame, so nothing is bound on the cached expression.
    const bindings = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    if (inputAs !== undefined) bindings[inputAs] = input;
    return { ok: true, expression, input, bindings };
  } catch (error) {
    return { ok: false, envelope: failed({ kind: 'input', message: error instanceof Error ? error.message : String(error) }) };
  }
}

function envelopeOf(result: unknown, outputBytes: number): string {
  const out = toJsonText(result, { outputBytes, jsonata: true, who: 'The mapping' });
  if (!out.ok) return failed(out.failure);
  return out.json === undefined ? '{"ok":true}' : `{"ok":true,"result":${out.json}}`;
}

/**
 * The synchronous entry point (host `applySync`, on the calling thread): evaluates `text` on the input
 * and answers with the envelope, or with undefined when the expression recursed too deep for the
 * synchronous build: the host then evaluates it with `evaluateMapping`, off its thread.
 */
export function evaluateMappingNow(...args: MappingArgs): string | undefined {
  const [, , , outputBytes] = args;
  const prepared = prepare(args);
  if (!prepared.ok) return prepared.envelope;
  let result: unknown;
  try {
    result = prepared.expression.evaluate(prepared.input, prepared.bindings);
  } catch (error) {
    if (isStackOverflow(error)) return undefined;
    return failed(describeMappingFailure(error));
  }
  return envelopeOf(result, outputBytes);
}

/**
 * The asynchronous entry point (host `apply`, on the isolate's thread): as `evaluateMappingNow`, and an
 * expression that recurses too deep for the synchronous build is evaluated again by upstream jsonata,
 * whose awaits unwind the stack (a mapping has no side effects, so running it twice is safe).
 */
export async function evaluateMapping(...args: MappingArgs): Promise<string> {
  const now = evaluateMappingNow(...args);
  if (now !== undefined) return now;
  // Rare: input and bindings are parsed afresh rather than reused from the run that overflowed.
  const [text, , , outputBytes] = args;
  const prepared = prepare(args);
  if (!prepared.ok) return prepared.envelope;
  let result: unknown;
  try {
    result = await withLibrary(jsonata(text)).evaluate(prepared.input, prepared.bindings);
  } catch (error) {
    return failed(describeMappingFailure(error));
  }
  return envelopeOf(result, outputBytes);
}
