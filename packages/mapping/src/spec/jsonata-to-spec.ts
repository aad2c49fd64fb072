import jsonata from 'jsonata';
import { type Token, tokenize } from '../lexer.ts';
import { dedentContinuation } from './indent.ts';
import { type PathSegment, formatPath, isReservedName, parsePath, startsWith } from './paths.ts';
import { specToJsonata } from './spec-to-jsonata.ts';
import type { JsonataToSpecResult, MappingSpec, MappingSpecRow, MappingSpecVariable } from './types.ts';

/** Thrown inside the reader when the text has a shape rows cannot show; becomes `{ ok: false, reason }`. */
class NotRows extends Error {}

const closers: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Index of the bracket closing the one at `open`. */
function matching(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t?.type !== 'operator') continue;
    if (t.text in closers) depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new NotRows('unbalanced brackets');
}

/** Splits tokens [from, to) at top-level separators. */
function splitTop(tokens: Token[], from: number, to: number, separator: string): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  let start = from;
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (t?.type === 'operator' && t.text in closers) {
      i = matching(tokens, i);
      continue;
    }
    if (t?.type === 'operator' && t.text === separator) {
      parts.push([start, i]);
      start = i + 1;
    }
  }
  if (start < to) parts.push([start, to]);
  return parts;
}

const isOp = (t: Token | undefined, text: string): boolean => t?.type === 'operator' && t.text === text;

function fieldName(token: Token): string | undefined {
  if (token.type !== 'name') return undefined;
  if (token.text.startsWith('`')) return token.text.slice(1, -1);
  return isReservedName(token.text) ? undefined : token.text;
}

/** Reads `a.b[].c` (optionally after `$$.`) spanning exactly [from, to); undefined if it is anything else. */
function simplePath(tokens: Token[], from: number, to: number): { segments: PathSegment[]; root: boolean } | undefined {
  let i = from;
  let root = false;
  if (tokens[i]?.type === 'variable' && tokens[i]?.text === '$$' && isOp(tokens[i + 1], '.')) {
    root = true;
    i += 2;
  }
  const segments: PathSegment[] = [];
  while (i < to) {
    const token = tokens[i];
    const name = token === undefined ? undefined : fieldName(token);
    if (name === undefined) return undefined;
    i++;
    let array = false;
    if (isOp(tokens[i], '[') && isOp(tokens[i + 1], ']') && i + 1 < to) {
      array = true;
      i += 2;
    }
    segments.push({ name, array });
    if (i === to) break;
    if (!isOp(tokens[i], '.') || i + 1 >= to) return undefined;
    i++;
  }
  return segments.length > 0 ? { segments, root } : undefined;
}

function stringValue(token: Token): string {
  if (token.text.startsWith('"')) return JSON.parse(token.text) as string;
  // Single-quoted: same escapes as JSON once the quotes are swapped.
  const inner = token.text.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"');
  return JSON.parse(`"${inner}"`) as string;
}

interface Reader {
  text: string;
  tokens: Token[];
  rows: MappingSpecRow[];
  /** Spans of source text kept verbatim in expression rows (comments there survive). */
  kept: Array<[number, number]>;
}

/** Source text of tokens [from, to), with the indentation of the line `anchor` is on removed from continuation lines. */
function sliceText(reader: Reader, from: number, to: number, anchor: Token): string {
  const first = reader.tokens[from];
  const last = reader.tokens[to - 1];
  if (first === undefined || last === undefined) throw new NotRows('a field has no value');
  reader.kept.push([first.start, last.end]);
  const lineStart = reader.text.lastIndexOf('\n', anchor.start) + 1;
  const indent = /^[ \t]*/.exec(reader.text.slice(lineStart))?.[0] ?? '';
  return dedentContinuation(reader.text.slice(first.start, last.end), indent);
}

function readObject(reader: Reader, open: number, close: number, target: string, context: PathSegment[]): void {
  const { tokens } = reader;
  for (const [from, to] of splitTop(tokens, open + 1, close, ',')) {
    const key = tokens[from];
    if (key?.type !== 'string' || !isOp(tokens[from + 1], ':') || from + 2 >= to) {
      throw new NotRows('an object has a field whose name is not fixed text');
    }
    const name = stringValue(key);
    if (name === '' || name.includes('.') || name.includes('[')) throw new NotRows(`the field name ${JSON.stringify(name)} cannot be written as a target path`);
    readValue(reader, { from: from + 2, to, target: `${target}${name}`, context, anchor: key });
  }
}

function impliedArray(rows: MappingSpecRow[], context: PathSegment[]): string | undefined {
  for (const row of rows) {
    const source = row.expression === undefined && row.source !== undefined ? parsePath(row.source) : undefined;
    if (source === undefined || !startsWith(source, context)) continue;
    const rest = source.slice(context.length);
    const k = rest.findIndex((s) => s.array);
    if (k !== -1) return formatPath([...context, ...rest.slice(0, k + 1)]);
  }
  return undefined;
}

function readValue(reader: Reader, at: { from: number; to: number; target: string; context: PathSegment[]; anchor: Token }): void {
  const { tokens, rows } = reader;
  const { from, to, target, context } = at;
  const first = tokens[from];
  // Nested object: { … }
  if (isOp(first, '{') && matching(tokens, from) === to - 1) {
    readObject(reader, from, to - 1, `${target}.`, context);
    return;
  }
  // Array built element by element: [path.{ … }]
  if (isOp(first, '[') && matching(tokens, from) === to - 1 && isOp(tokens[to - 2], '}')) {
    let braceOpen = -1;
    for (let i = from + 1; i < to - 1; i++) {
      if (isOp(tokens[i], '{')) {
        braceOpen = i;
        break;
      }
    }
    const path = braceOpen > from + 2 && isOp(tokens[braceOpen - 1], '.') ? simplePath(tokens, from + 1, braceOpen - 1) : undefined;
    if (path !== undefined && matching(tokens, braceOpen) === to - 2) {
      const segments = path.root || context.length === 0 ? path.segments : [...context, ...path.segments];
      const last = segments.at(-1);
      const source = last === undefined ? segments : [...segments.slice(0, -1), { ...last, array: true }];
      const before = rows.length;
      readObject(reader, braceOpen, to - 2, `${target}[].`, source);
      // specToJsonata takes the array from the first `[]` of the first source below it; when that is
      // not this array (or there is none), the array needs a row of its own.
      const prefix = formatPath(source);
      if (impliedArray(rows.slice(before), context) !== prefix) rows.splice(before, 0, { target: `${target}[]`, source: prefix });
      return;
    }
  }
  if (to === from + 1 && first?.type === 'name' && first.text === 'null') {
    rows.push({ target });
    return;
  }
  const path = simplePath(tokens, from, to);
  if (path !== undefined) {
    rows.push({ target, source: formatPath(path.root ? path.segments : [...context, ...path.segments]) });
    return;
  }
  rows.push({ target, expression: sliceText(reader, from, to, at.anchor) });
}

/** Strips positions so two ASTs compare by meaning only. */
function shape(ast: unknown): string {
  return JSON.stringify(ast, (key, value: unknown) => (key === 'position' ? undefined : value instanceof RegExp ? String(value) : value));
}

function readSpec(text: string): MappingSpec {
  const all = tokenize(text);
  if (all.some((t) => t.type === 'unterminated')) throw new NotRows('it has syntax errors');
  const tokens = all.filter((t) => t.type !== 'comment');
  const reader: Reader = { text, tokens, rows: [], kept: [] };
  const variables: MappingSpecVariable[] = [];
  let open = 0;
  let close = tokens.length - 1;
  if (isOp(tokens[0], '(') && matching(tokens, 0) === tokens.length - 1) {
    const statements = splitTop(tokens, 1, tokens.length - 1, ';');
    const body = statements.pop();
    if (body === undefined) throw new NotRows('the block is empty');
    for (const [from, to] of statements) {
      const name = tokens[from];
      if (name?.type !== 'variable' || !isOp(tokens[from + 1], ':=') || from + 2 >= to || name.text.length < 2) {
        throw new NotRows('only variable assignments ($name := …) may come before the object');
      }
      variables.push({ name: name.text.slice(1), expression: sliceText(reader, from + 2, to, name) });
    }
    [open, close] = [body[0], body[1] - 1];
  }
  if (!isOp(tokens[open], '{') || matching(tokens, open) !== close) throw new NotRows('only an object constructor { "field": … } can be shown as rows');
  readObject(reader, open, close, '', []);
  const lost = all.find((t) => t.type === 'comment' && !reader.kept.some(([s, e]) => t.start >= s && t.end <= e));
  if (lost !== undefined) throw new NotRows('its comments between fields cannot be kept in rows');
  return variables.length > 0 ? { rows: reader.rows, variables } : { rows: reader.rows };
}

/**
 * Converts a JSONata mapping back to spec rows when that loses nothing: object constructors of paths,
 * nested objects, `[array.{ … }]` line mappings and `( $var := …; { … } )` blocks, with anything else
 * kept verbatim as `expression` rows. The result is checked by compiling it back and comparing the
 * syntax trees; when they differ (or the text is not an object mapping) the answer is `{ ok: false, reason }`.
 */
export function jsonataToSpec(text: string): JsonataToSpecResult {
  let original: jsonata.Expression;
  try {
    original = jsonata(text);
  } catch {
    // A mapping that does not compile has no rows; compileMapping explains why.
    return { ok: false, reason: 'The mapping has syntax errors' };
  }
  let spec: MappingSpec;
  try {
    spec = readSpec(text);
  } catch (error) {
    if (error instanceof NotRows) return { ok: false, reason: `The mapping cannot be shown as rows: ${error.message}` };
    throw error;
  }
  try {
    if (shape(jsonata(specToJsonata(spec)).ast()) === shape(original.ast())) return { ok: true, spec };
  } catch {
    // The rows do not compile back (e.g. a target mapped twice): showing them would lose the mapping.
  }
  return { ok: false, reason: 'The mapping cannot be shown as rows without changing what it does' };
}
