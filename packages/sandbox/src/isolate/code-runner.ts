// Runs INSIDE the isolate, in a context created for one code run and released after it. Installs a
// capturing console, runs the user's async function and answers with a CodeEnvelope as JSON text.

import { describeCodeFailure } from './failure.ts';
import { toJsonText, utf8Size } from './json-out.ts';
import { codeFilename, type IsolateFailure, type LogCapture, type LogLevel, type LogLine, runtimeGlobals } from './protocol.ts';

// Captured when the runtime is loaded (into the snapshot), before any user code can replace them.
const stringify = JSON.stringify;
const parse = JSON.parse;
const freeze = Object.freeze;
const defineProperty = Object.defineProperty;
const deleteProperty = Reflect.deleteProperty;
const objectToString = Object.prototype.toString;
const DateCtor = Date;
const dateToIso = Date.prototype.toISOString;

/** Globals a code run does not get: the mapping runtime's entry points and shared-memory / Wasm APIs. */
const hiddenGlobals = [runtimeGlobals.evaluate, runtimeGlobals.evaluateNow, runtimeGlobals.runCode, 'SharedArrayBuffer', 'Atomics', 'WebAssembly'];

function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) {
    const stack = value.stack;
    return typeof stack === 'string' ? stack : `${value.name}: ${value.message}`;
  }
  if (typeof value === 'function') return `[Function ${value.name === '' ? '(anonymous)' : value.name}]`;
  if (value === undefined || typeof value === 'symbol' || typeof value === 'bigint') return String(value);
  try {
    const json = stringify(value);
    return json === undefined ? String(value) : json;
  } catch {
    return objectToString.call(value);
  }
}

/** Cuts `text` to at most `maxBytes` of UTF-8 (never splitting a surrogate pair). */
function truncateUtf8(text: string, maxBytes: number): string {
  let cut = Math.min(text.length, maxBytes);
  let part = text.slice(0, cut);
  while (cut > 0 && utf8Size(part) > maxBytes) {
    cut = Math.floor(cut * 0.9);
    part = text.slice(0, cut);
  }
  const last = part.charCodeAt(part.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? part.slice(0, -1) : part;
}

interface Capture {
  console: Readonly<Record<string, (...args: unknown[]) => void>>;
  state(): LogCapture;
}

function createCapture(maxLines: number, maxBytes: number): Capture {
  const logs: LogLine[] = [];
  let bytes = 0;
  let droppedLines = 0;
  const writer =
    (level: LogLevel) =>
    (...args: unknown[]): void => {
      if (logs.length >= maxLines || bytes >= maxBytes) {
        droppedLines++;
        return;
      }
      let message = '';
      for (let i = 0; i < args.length; i++) {
        message += (i === 0 ? '' : ' ') + formatValue(args[i]);
        if (message.length > maxBytes) break; // never build more than can be kept
      }
      let size = utf8Size(message);
      if (bytes + size > maxBytes) {
        message = `${truncateUtf8(message, maxBytes - bytes)}…`;
        size = maxBytes - bytes;
      }
      bytes += size;
      logs[logs.length] = { level, message, at: dateToIso.call(new DateCtor()) };
    };
  const console = freeze({
    log: writer('info'),
    info: writer('info'),
    warn: writer('warn'),
    error: writer('error'),
    debug: writer('debug'),
    trace: writer('debug'),
  });
  return { console, state: () => ({ logs, droppedLines }) };
}

type UserFunction = (input: unknown, context: unknown) => unknown;

let current: Capture | undefined;

/** The logs of the run in progress, as JSON: the host reads them after a timeout. */
export function currentLogs(): string {
  return stringify(current === undefined ? { logs: [], droppedLines: 0 } : current.state());
}

function envelope(capture: Capture, body: { ok: true; json: string | undefined } | { ok: false; error: IsolateFailure }): string {
  const { logs, droppedLines } = capture.state();
  const head = `"logs":${stringify(logs)},"droppedLines":${droppedLines}`;
  if (!body.ok) return `{"ok":false,${head},"error":${stringify(body.error)}}`;
  return body.json === undefined ? `{"ok":true,${head}}` : `{"ok":true,${head},"result":${body.json}}`;
}

/**
 * Runs the user's function, compiled by the host as `async function (input, context) { … }` in this
 * fresh context. Called once per context.
 */
export async function runCode(
  fn: UserFunction,
  inputJson: string | undefined,
  contextJson: string | undefined,
  outputBytes: number,
  maxLogLines: number,
  maxLogBytes: number,
): Promise<string> {
  for (const name of hiddenGlobals) deleteProperty(globalThis, name);
  const capture = createCapture(maxLogLines, maxLogBytes);
  current = capture;
  defineProperty(globalThis, 'console', { value: capture.console, writable: true, configurable: true, enumerable: false });
  let input: unknown;
  let context: unknown;
  try {
    input = inputJson === undefined ? undefined : parse(inputJson);
    context = contextJson === undefined ? undefined : parse(contextJson);
  } catch (error) {
    return envelope(capture, { ok: false, error: { kind: 'input', message: error instanceof Error ? error.message : String(error) } });
  }
  let result: unknown;
  try {
    result = await fn(input, context);
  } catch (error) {
    return envelope(capture, { ok: false, error: describeCodeFailure(error, codeFilename) });
  }
  const out = toJsonText(result, { outputBytes, jsonata: false, who: 'The code' });
  return envelope(capture, out.ok ? { ok: true, json: out.json } : { ok: false, error: out.failure });
}
