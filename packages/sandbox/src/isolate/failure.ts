// Runs INSIDE the isolate. Describes anything thrown by jsonata, the mapping library or user code as
// plain JSON, without trusting its shape.

import type { IsolateFailure } from './protocol.ts';

const stringify = JSON.stringify;
const parse = JSON.parse;

function field(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined; // a throwing getter on something user code threw
  }
}

/** A JSON copy of `value`, or undefined when it is not JSON or too big to be worth carrying. */
export function jsonCopy(value: unknown, maxChars = 10_000): unknown {
  if (value === undefined) return undefined;
  try {
    const text = stringify(value);
    if (text === undefined || text.length > maxChars) return undefined;
    return parse(text);
  } catch {
    return undefined;
  }
}

function jsonRecord(value: unknown): Record<string, unknown> | undefined {
  const copy = jsonCopy(value);
  return typeof copy === 'object' && copy !== null && !Array.isArray(copy) ? (copy as Record<string, unknown>) : undefined;
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** RangeErrors V8 raises when an allocation is refused rather than for a bad argument. */
function resourceKind(error: RangeError): 'memory' | 'stack' | undefined {
  const message = safeString(error.message);
  if (/maximum call stack/i.test(message)) return 'stack';
  if (/invalid (string|array|typed array) length|allocation failed|out of memory/i.test(message)) return 'memory';
  return undefined;
}

/** Describes an error thrown while compiling or evaluating a mapping. */
export function describeMappingFailure(error: unknown): IsolateFailure {
  if (error instanceof RangeError) {
    const kind = resourceKind(error);
    if (kind !== undefined) return { kind, message: safeString(error.message) };
  }
  const code = field(error, 'code');
  const message = field(error, 'message');
  const failure: IsolateFailure = {
    kind: 'runtime',
    message: typeof message === 'string' ? message : safeString(error),
  };
  if (typeof code === 'string') {
    failure.code = code;
    // jsonata's syntax errors are S0xxx; D2014 is its refusal to allocate a range over 1e7 items.
    if (code.startsWith('S0')) failure.kind = 'syntax';
    else if (code === 'D2014') failure.kind = 'memory';
  }
  const position = field(error, 'position');
  if (typeof position === 'number' && Number.isFinite(position)) failure.position = position;
  const token = field(error, 'token');
  if (typeof token === 'string' || typeof token === 'number') failure.token = String(token);
  const value = jsonCopy(field(error, 'value'));
  if (value !== undefined) failure.value = value;
  const details = jsonRecord(field(error, 'details'));
  if (details !== undefined) failure.details = details;
  const name = field(error, 'name');
  if (typeof name === 'string' && error instanceof Error) failure.name = name;
  return failure;
}

/** Describes an error thrown by user code; `filename` is what the code was compiled as. */
export function describeCodeFailure(error: unknown, filename: string): IsolateFailure {
  if (error instanceof RangeError) {
    const kind = resourceKind(error);
    if (kind !== undefined) return { kind, message: safeString(error.message) };
  }
  const isError = error instanceof Error;
  const message = isError ? safeString(field(error, 'message')) : describeThrown(error);
  const failure: IsolateFailure = { kind: 'code', message };
  const name = field(error, 'name');
  if (isError && typeof name === 'string') failure.name = name;
  const stack = field(error, 'stack');
  if (typeof stack === 'string') {
    const position = new RegExp(`${filename.replace('.', '\\.')}:(\\d+):(\\d+)`);
    const frames = stack.split('\n').filter((line) => position.test(line));
    const first = frames[0];
    const at = first === undefined ? null : position.exec(first);
    if (at !== null) {
      failure.line = Number(at[1]);
      failure.column = Number(at[2]);
    }
    if (frames.length > 0) failure.stack = frames.map((line) => line.trim()).join('\n');
  }
  const details = jsonRecord(field(error, 'details'));
  if (details !== undefined) failure.details = details;
  const code = field(error, 'code');
  if (typeof code === 'string') failure.code = code;
  return failure;
}

function describeThrown(value: unknown): string {
  if (typeof value === 'string') return value;
  const json = jsonCopy(value, 1000);
  return json === undefined ? safeString(value) : stringify(json);
}
