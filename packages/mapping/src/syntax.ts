/**
 * Finds every syntax error in a mapping, with messages an analyst can act on.
 *
 * jsonata stops at the first syntax error; even with `recover: true` everything after that error is
 * swallowed and what follows are echoes of the first one ("expected } before end of expression").
 * So after each error this module applies the most likely fix (insert the missing bracket or comma,
 * drop the stray token, close the string…) and parses again, up to a limit. Positions of later errors
 * are mapped back through those edits to the analyst's text.
 *
 * Reported positions: jsonata's `position` is the offset just after the offending token. Issues report
 * the START of that token instead (`offset`, 0-based, and `line`/`column`, 1-based), which is where an
 * editor should put the cursor and the squiggle. Errors at the end of the text point just past its last
 * character.
 */
import jsonata from 'jsonata';
import type { MappingIssue } from './errors.ts';
import { type JsonataErrorInfo, readJsonataError, recoveredErrors } from './jsonata-errors.ts';
import { type Token, closerFor, openBracketsBefore, tokenize } from './lexer.ts';
import { describePosition, positionAt } from './position.ts';

/** A change made to the working copy of the text: at `at`, `remove` characters replaced by `insert`. */
interface Edit {
  at: number;
  remove: number;
  insert: string;
}

interface Repair {
  message: string;
  /** Start of the offending token in the working text. */
  offset: number;
  edits: Edit[];
}

const maxIssues = 20;
const emptyMessage = 'The mapping is empty';
/** Placeholder value inserted where one is missing; backticks make it a legal field name. */
const placeholder = '`__`';

function parse(text: string): { error?: JsonataErrorInfo; expression?: jsonata.Expression } {
  try {
    const expression = jsonata(text, { recover: true });
    const [first] = recoveredErrors(expression);
    if (first === undefined) return { expression };
    return { error: readJsonataError(first) ?? { code: 'S0201', message: 'Syntax error' } };
  } catch (thrown) {
    // Lexer errors (unterminated string or comment, bad escape…) are thrown even in recover mode.
    return { error: readJsonataError(thrown) ?? { code: 'S0201', message: String(thrown) } };
  }
}

function describeToken(token: Token | undefined): string {
  if (token === undefined) return 'the end of the mapping';
  switch (token.type) {
    case 'string':
      return `the text ${token.text}`;
    case 'number':
      return `the number ${token.text}`;
    default:
      return `"${token.text}"`;
  }
}

const isCloser = (token: Token | undefined): boolean => token?.type === 'operator' && [')', ']', '}'].includes(token.text);
const isValueStart = (token: Token | undefined): boolean =>
  token !== undefined &&
  (['string', 'number', 'name', 'variable', 'regex'].includes(token.type) || (token.type === 'operator' && ['(', '[', '{'].includes(token.text)));

/** Maps an offset in the working text back to the analyst's text by undoing the edits in reverse. */
function toOriginal(offset: number, edits: Edit[]): number {
  let pos = offset;
  for (let i = edits.length - 1; i >= 0; i--) {
    const edit = edits[i];
    if (edit === undefined) continue;
    if (pos >= edit.at + edit.insert.length) pos = pos - edit.insert.length + edit.remove;
    else if (pos > edit.at) pos = edit.at;
  }
  return pos;
}

function applyEdits(text: string, edits: Edit[]): string {
  let result = text;
  for (const edit of edits) result = result.slice(0, edit.at) + edit.insert + result.slice(edit.at + edit.remove);
  return result;
}

/**
 * jsonata allows line breaks inside quotes, so a missing closing quote silently swallows text up to
 * the next quote, which usually opens the next field on a later line, and the error shows up there.
 * Detects that shape: a string spanning lines whose closing quote is the first thing on the line of the error.
 */
function runawayString(text: string, tokens: Token[], errorOffset: number): { start: number; lineEnd: number; text: string } | undefined {
  const candidate = tokens.filter((t) => t.type === 'string' && t.end <= errorOffset).at(-1);
  if (candidate === undefined || !candidate.text.includes('\n')) return undefined;
  const closingLineStart = text.lastIndexOf('\n', candidate.end - 1) + 1;
  if (text.slice(closingLineStart, candidate.end - 1).trim() !== '') return undefined;
  if (text.slice(candidate.end, errorOffset).includes('\n')) return undefined;
  const firstNewline = text.indexOf('\n', candidate.start);
  const lineEnd = text.charAt(firstNewline - 1) === '\r' ? firstNewline - 1 : firstNewline;
  return { start: candidate.start, lineEnd, text: candidate.text };
}

/** Works out what went wrong at a jsonata error and how to patch the text to look for the next one. */
function diagnose(text: string, error: JsonataErrorInfo, original: (offset: number) => string): Repair | undefined {
  const tokens = tokenize(text).filter((t) => t.type !== 'comment');
  const end = text.length;
  const position = error.position ?? end;
  // The token jsonata complains about is the one that ends at its position.
  const index = error.token === '(end)' ? -1 : tokens.findIndex((t) => t.end === position);
  const token = index === -1 ? undefined : tokens[index];
  const offset = token?.start ?? Math.min(position, end);
  const previous = index === -1 ? tokens.at(-1) : tokens[index - 1];
  const expected = typeof error.value === 'string' ? error.value : '';
  const innermost = openBracketsBefore(tokens, offset).at(-1);
  const opener = innermost !== undefined && closerFor(innermost.token.text) === expected ? innermost : undefined;
  const openedAt = opener === undefined ? '' : ` opened at ${original(opener.token.start)}`;
  const insertBefore = (insert: string): Edit[] => [{ at: offset, remove: 0, insert }];
  const removeToken = (): Edit[] => (token === undefined ? [] : [{ at: token.start, remove: token.end - token.start, insert: ' ' }]);
  const unterminated = tokenize(text).find((t) => t.type === 'unterminated');

  const runaway = runawayString(text, tokens, offset);
  if (runaway !== undefined && error.code.startsWith('S02')) {
    return {
      offset: runaway.start,
      message: `The text starting at ${original(runaway.start)} runs over several lines; is its closing quote missing?`,
      edits: [{ at: runaway.lineEnd, remove: 0, insert: runaway.text.charAt(0) }],
    };
  }

  switch (error.code) {
    case 'S0202': {
      const beforePrevious = index > 1 ? tokens[index - 2] : undefined;
      if (
        opener !== undefined &&
        expected !== '}' &&
        token?.text === ':' &&
        (previous?.type === 'string' || previous?.type === 'name') &&
        beforePrevious?.text === ','
      ) {
        // `"y": [1, 2, "z": …` — the ":" shows "z" is the next field, so the bracket should have closed before the comma.
        return {
          offset: beforePrevious.start,
          message: `Expected "${expected}" to close "${opener.token.text}"${openedAt}`,
          edits: [{ at: beforePrevious.start, remove: 0, insert: expected }],
        };
      }
      if (opener !== undefined && token !== undefined && !isCloser(token) && isValueStart(token)) {
        const kind = expected === '}' ? 'object' : expected === ']' ? 'array' : opener.block ? 'block' : 'function call';
        const separator = kind === 'block' ? ';' : ',';
        return {
          offset,
          message: `Expected "${separator}" or "${expected}" before ${describeToken(token)} (in the ${kind}${openedAt})`,
          edits: insertBefore(`${separator} `),
        };
      }
      if (opener !== undefined) {
        return {
          offset,
          message: `Expected "${expected}" to close "${opener.token.text}"${openedAt}, but found ${describeToken(token)}`,
          edits: insertBefore(expected),
        };
      }
      if (expected === ':') {
        return { offset, message: `Expected ":" between the field name and its value, but found ${describeToken(token)}`, edits: insertBefore(': ') };
      }
      return { offset, message: `Expected "${expected}" but found ${describeToken(token)}`, edits: insertBefore(expected) };
    }
    case 'S0203':
      return {
        offset: end,
        message:
          opener !== undefined
            ? `Expected "${expected}" to close "${opener.token.text}"${openedAt}, but the mapping ended`
            : `Expected "${expected}" before the end of the mapping`,
        edits: [{ at: end, remove: 0, insert: expected }],
      };
    case 'S0207':
      return {
        offset: end,
        message: previous === undefined ? emptyMessage : `The mapping ends too early: a value is missing after ${describeToken(previous)}`,
        edits: previous === undefined ? [] : [{ at: end, remove: 0, insert: ` ${placeholder}` }],
      };
    case 'S0211': {
      const innermostCloser = innermost === undefined ? undefined : closerFor(innermost.token.text);
      if (innermost !== undefined && innermostCloser !== undefined && isCloser(token) && token?.text !== innermostCloser) {
        return {
          offset,
          message: `Expected "${innermostCloser}" to close "${innermost.token.text}" opened at ${original(innermost.token.start)}, but found ${describeToken(token)}`,
          edits: insertBefore(innermostCloser),
        };
      }
      if (previous?.type === 'operator' && previous.text === ',' && isCloser(token)) {
        return {
          offset: previous.start,
          message: 'Trailing ",": remove it or add the missing value after it',
          edits: [{ at: previous.start, remove: 1, insert: ' ' }],
        };
      }
      return { offset, message: `Unexpected ${describeToken(token)}: a value is missing before it`, edits: insertBefore(`${placeholder} `) };
    }
    case 'S0201': {
      if (token?.text === ';' && innermost === undefined) {
        return {
          offset,
          message: 'Unexpected ";": to run several steps one after another (e.g. $x := …; { … }), wrap the whole mapping in ( … )',
          edits: [
            { at: 0, remove: 0, insert: '(' },
            { at: end + 1, remove: 0, insert: ')' },
          ],
        };
      }
      return { offset, message: `Unexpected ${describeToken(token)}: is an operator, a comma or a semicolon missing before it?`, edits: removeToken() };
    }
    case 'S0204':
      return { offset, message: `Unknown operator ${describeToken(token)}`, edits: removeToken() };
    case 'S0205':
      return { offset, message: `Unexpected ${describeToken(token)}`, edits: removeToken() };
    case 'S0101':
    case 'S0105':
    case 'S0106':
    case 'S0302': {
      const start = unterminated?.start ?? offset;
      const what = {
        S0101: [`The text starting at ${original(start)} has no closing quote`, unterminated?.text.charAt(0) ?? '"'],
        S0105: [`The field name in backticks starting at ${original(start)} has no closing backtick (\`)`, '`'],
        S0106: [`The comment starting at ${original(start)} is never closed with "*/"`, ' */'],
        S0302: [`The regular expression starting at ${original(start)} has no closing "/"`, '/'],
      }[error.code];
      const [message = error.message, closing = ''] = what;
      // Text and names rarely span lines: close them at the end of the line they start on.
      const newline = error.code === 'S0106' ? -1 : text.indexOf('\n', start);
      const at = newline === -1 ? end : text.charAt(newline - 1) === '\r' ? newline - 1 : newline;
      return { offset: start, message, edits: [{ at, remove: 0, insert: closing }] };
    }
    case 'S0102':
      return { offset, message: `The number ${error.token ?? ''} is too large`, edits: [] };
    case 'S0103':
      return { offset, message: `Unsupported escape sequence "\\${error.token ?? ''}" in text (write "\\\\" for a backslash)`, edits: [] };
    case 'S0104':
      return { offset, message: 'In text, "\\u" must be followed by exactly 4 hexadecimal digits', edits: [] };
    case 'S0208':
      return { offset, message: `Parameter ${String(error.value ?? '')} of the function definition must be a variable name starting with $`, edits: [] };
    case 'S0212':
      return { offset, message: 'The left side of ":=" must be a variable name starting with $ (e.g. $total := …)', edits: [] };
    case 'S0214':
      return { offset, message: `The right side of "${error.token ?? ''}" must be a variable name starting with $`, edits: [] };
    default:
      return { offset, message: error.message, edits: [] };
  }
}

export interface SyntaxCheck {
  issues: MappingIssue[];
  /** The text after the repairs, when it finally parsed, and how to map its offsets back. */
  repaired?: { expression: jsonata.Expression; toOriginal: (offset: number) => number };
}

/** Every syntax error in `text` (at most 20), each with code MAPPING_SYNTAX and a position. */
export function checkSyntax(text: string): SyntaxCheck {
  const issues: MappingIssue[] = [];
  const edits: Edit[] = [];
  let working = text;
  if (text.trim() === '') {
    return { issues: [{ code: 'MAPPING_SYNTAX', message: emptyMessage, ...positionAt(text, 0) }] };
  }
  while (issues.length < maxIssues) {
    const { error, expression } = parse(working);
    if (error === undefined) {
      if (expression === undefined) break;
      const applied = [...edits];
      return { issues, repaired: { expression, toOriginal: (offset) => toOriginal(offset, applied) } };
    }
    const repair = diagnose(working, error, (offset) => describePosition(text, toOriginal(offset, edits)));
    // Once the only thing left is a comment, "empty" is an echo of the error before it.
    if (repair === undefined || (repair.message === emptyMessage && issues.length > 0)) break;
    const offset = toOriginal(repair.offset, edits);
    const last = issues.at(-1);
    if (last !== undefined && last.offset === offset && last.message === repair.message) break;
    issues.push({ code: 'MAPPING_SYNTAX', message: repair.message, ...positionAt(text, offset) });
    if (repair.edits.length === 0) break;
    working = applyEdits(working, repair.edits);
    edits.push(...repair.edits);
  }
  return { issues };
}

/** Issues in reading order. */
export function byPosition(issues: MappingIssue[]): MappingIssue[] {
  return [...issues].sort((a, b) => (a.offset ?? 0) - (b.offset ?? 0));
}
