// Runs INSIDE the isolate (bundled into the runtime). Turns a result into the JSON text that crosses
// the boundary, enforcing the output limit before anything is copied out.

import type { IsolateFailure } from './protocol.ts';

/** Exact UTF-8 size of a string. */
export function utf8Size(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** The UTF-8 size of `text` when it is over `limit` bytes, else undefined. */
export function sizeOver(text: string, limit: number): number | undefined {
  // A UTF-16 unit is at most 3 UTF-8 bytes (a surrogate pair, two units, is 4): skip the scan when that bound decides.
  if (text.length * 3 <= limit) return undefined;
  const size = utf8Size(text);
  return size > limit ? size : undefined;
}

/** JSONata function values (lambdas, built-ins, partial applications) are objects, not JS functions. */
export function isJsonataFunction(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (typeof value !== 'object' || value === null) return false;
  const marks = value as { _jsonata_lambda?: unknown; _jsonata_function?: unknown };
  return marks._jsonata_lambda === true || marks._jsonata_function === true;
}

// Nested function values are dropped exactly as JSON.stringify drops JS functions (null inside arrays),
// so a jsonata lambda never leaks its closure environment into the output.
function dropJsonataFunctions(this: unknown, _key: string, value: unknown): unknown {
  return isJsonataFunction(value) ? undefined : value;
}

export type JsonOut = { ok: true; json: string | undefined } | { ok: false; failure: IsolateFailure };

/**
 * Serialises a result. `undefined` stays `undefined` (no result); a function at the top level, a cyclic
 * structure or a BigInt is an error; anything over `outputBytes` is an error that names the size.
 */
export function toJsonText(value: unknown, options: { outputBytes: number; jsonata: boolean; who: string }): JsonOut {
  if (value === undefined) return { ok: true, json: undefined };
  if (options.jsonata ? isJsonataFunction(value) : typeof value === 'function') {
    return { ok: false, failure: { kind: 'not-json', message: `${options.who} produced a function, which is not JSON` } };
  }
  let json: string | undefined;
  try {
    json = options.jsonata ? JSON.stringify(value, dropJsonataFunctions) : JSON.stringify(value);
  } catch (error) {
    if (error instanceof RangeError) {
      return { ok: false, failure: { kind: 'memory', message: `${options.who} produced a result too large to serialise (${error.message})` } };
    }
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, failure: { kind: 'not-json', message: `${options.who} produced a value that is not JSON: ${reason}` } };
  }
  if (json === undefined) return { ok: true, json: undefined };
  const size = sizeOver(json, options.outputBytes);
  if (size !== undefined) return { ok: false, failure: { kind: 'output', message: `${options.who} produced ${size} bytes of JSON`, size } };
  return { ok: true, json };
}
