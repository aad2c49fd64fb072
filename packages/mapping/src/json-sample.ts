import type { MappingIssue } from './errors.ts';
import { positionAt } from './position.ts';

/**
 * Finds where JSON text stops being valid, with a message that does not depend on the JavaScript
 * engine (V8, SpiderMonkey and JavaScriptCore word JSON.parse errors differently and not all give a
 * position). Only runs after JSON.parse has already failed.
 */
function locateJsonError(text: string): { offset: number; message: string } {
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw Object.assign(new Error(message), { offset: at });
  };
  const describe = (at: number): string => (at >= text.length ? 'the end of the text' : JSON.stringify(text.charAt(at)));
  const skip = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`Unexpected ${describe(i)}: expected a JSON value`);
  };
  const string = (): void => {
    const start = i;
    i++;
    for (;;) {
      if (i >= text.length) fail('Text in quotes is never closed', start);
      const ch = text.charAt(i);
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === '\\') {
        const next = text.charAt(i + 1);
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('"\\u" must be followed by 4 hexadecimal digits');
          i += 6;
        } else if ('"\\/bfnrt'.includes(next) && next !== '') i += 2;
        else fail(`Invalid escape "\\${next}" in text`);
        continue;
      }
      if (ch.charCodeAt(0) < 0x20) fail('Line breaks and control characters must be escaped inside text');
      i++;
    }
  };
  const number = (): void => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match) fail(`Unexpected ${describe(i)}: expected a JSON value`);
    else i += match[0].length;
  };
  const value = (): void => {
    skip();
    const ch = text.charAt(i);
    if (ch === '{') {
      i++;
      skip();
      if (text.charAt(i) === '}') {
        i++;
        return;
      }
      for (;;) {
        skip();
        if (text.charAt(i) !== '"') fail(`Expected a property name in double quotes, found ${describe(i)}`);
        string();
        skip();
        if (text.charAt(i) !== ':') fail(`Expected ":" after the property name, found ${describe(i)}`);
        i++;
        value();
        skip();
        if (text.charAt(i) === ',') {
          i++;
          continue;
        }
        if (text.charAt(i) === '}') {
          i++;
          return;
        }
        fail(`Expected "," or "}" after a property value, found ${describe(i)}`);
      }
    }
    if (ch === '[') {
      i++;
      skip();
      if (text.charAt(i) === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        skip();
        if (text.charAt(i) === ',') {
          i++;
          continue;
        }
        if (text.charAt(i) === ']') {
          i++;
          return;
        }
        fail(`Expected "," or "]" after an array element, found ${describe(i)}`);
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === '-' || (ch >= '0' && ch <= '9')) return number();
    fail(`Unexpected ${describe(i)}: expected a JSON value`);
  };
  try {
    value();
    skip();
    if (i < text.length) fail(`Unexpected ${describe(i)} after the end of the JSON value`);
  } catch (error) {
    const offset = (error as { offset?: unknown }).offset;
    if (error instanceof Error && typeof offset === 'number') return { offset, message: error.message };
    throw error;
  }
  return { offset: 0, message: 'The sample is not valid JSON' };
}

export type SampleResult = { ok: true; value: unknown } | { ok: false; issue: MappingIssue };

/** Reads a sample given as JSON text; non-JSON gives MAPPING_SAMPLE_INVALID at the line and column of the problem. */
export function parseSample(text: string): SampleResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    // JSON.parse only says that it failed; locateJsonError says where and why.
    const { offset, message } = text.trim() === '' ? { offset: 0, message: 'The sample is empty' } : locateJsonError(text);
    const position = positionAt(text, offset);
    return {
      ok: false,
      issue: { code: 'MAPPING_SAMPLE_INVALID', message: `The sample is not valid JSON at line ${position.line}, column ${position.column}: ${message}`, ...position },
    };
  }
}
