/**
 * A forgiving JSONata tokenizer used only to explain errors: where a token starts (jsonata reports
 * where it ends), which bracket an error is inside, where an unterminated string begins.
 * It never throws; text it cannot read becomes an `unterminated` token running to the end.
 */

export type TokenType = 'string' | 'number' | 'name' | 'variable' | 'operator' | 'regex' | 'comment' | 'unterminated';

export interface Token {
  type: TokenType;
  /** Source text of the token, quotes included. */
  text: string;
  start: number;
  end: number;
  /** For `unterminated`: what was left open. */
  opened?: 'string' | 'name' | 'comment' | 'regex';
}

const operatorChars = new Set([...'.[]{}(),@#;:?+-*/%|=<>^&!~']);
const twoCharOperators = new Set(['..', ':=', '!=', '>=', '<=', '**', '~>', '?:', '??']);
const numberPattern = /^(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)?/;

/** After these a `/` starts a regular expression rather than a division. */
function regexAllowedAfter(previous: Token | undefined): boolean {
  if (previous === undefined) return true;
  if (previous.type !== 'operator') return false;
  return ![')', ']', '}'].includes(previous.text);
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const lastSignificant = (): Token | undefined => {
    for (let k = tokens.length - 1; k >= 0; k--) {
      const t = tokens[k];
      if (t !== undefined && t.type !== 'comment') return t;
    }
    return undefined;
  };
  while (i < source.length) {
    const ch = source.charAt(i);
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === '/' && source.charAt(i + 1) === '*') {
      const end = source.indexOf('*/', i + 2);
      if (end === -1) {
        tokens.push({ type: 'unterminated', opened: 'comment', text: source.slice(start), start, end: source.length });
        break;
      }
      i = end + 2;
      tokens.push({ type: 'comment', text: source.slice(start, i), start, end: i });
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      i++;
      let closed = false;
      while (i < source.length) {
        const c = source.charAt(i);
        if (c === '\\' && ch !== '`') {
          i += 2;
          continue;
        }
        i++;
        if (c === ch) {
          closed = true;
          break;
        }
      }
      i = Math.min(i, source.length);
      if (!closed) {
        tokens.push({ type: 'unterminated', opened: ch === '`' ? 'name' : 'string', text: source.slice(start), start, end: source.length });
        break;
      }
      tokens.push({ type: ch === '`' ? 'name' : 'string', text: source.slice(start, i), start, end: i });
      continue;
    }
    if (ch === '/' && regexAllowedAfter(lastSignificant())) {
      i++;
      let closed = false;
      let depth = 0;
      while (i < source.length) {
        const c = source.charAt(i);
        if (c === '\\') {
          i += 2;
          continue;
        }
        i++;
        if (c === '[') depth++;
        else if (c === ']' && depth > 0) depth--;
        else if (c === '/' && depth === 0) {
          closed = true;
          break;
        }
      }
      if (!closed) {
        tokens.push({ type: 'unterminated', opened: 'regex', text: source.slice(start), start, end: source.length });
        break;
      }
      while (/[im]/.test(source.charAt(i))) i++;
      tokens.push({ type: 'regex', text: source.slice(start, i), start, end: i });
      continue;
    }
    const number = numberPattern.exec(source.slice(i));
    if (number && /[0-9]/.test(ch)) {
      i += number[0].length;
      tokens.push({ type: 'number', text: number[0], start, end: i });
      continue;
    }
    const two = source.slice(i, i + 2);
    if (twoCharOperators.has(two)) {
      i += 2;
      tokens.push({ type: 'operator', text: two, start, end: i });
      continue;
    }
    if (operatorChars.has(ch)) {
      i++;
      tokens.push({ type: 'operator', text: ch, start, end: i });
      continue;
    }
    // A name runs until whitespace or an operator character, as in jsonata's lexer.
    while (i < source.length && !/[\s"'`]/.test(source.charAt(i)) && !operatorChars.has(source.charAt(i))) i++;
    if (i === start) i++;
    tokens.push({ type: ch === '$' ? 'variable' : 'name', text: source.slice(start, i), start, end: i });
  }
  return tokens;
}

const closerOf: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

export interface OpenBracket {
  token: Token;
  /** For `(`: whether it starts a block/group (true) or a function call or lambda argument list (false). */
  block: boolean;
}

/**
 * Brackets still open just before `offset`, innermost last. Mismatched closers are ignored so that
 * one stray bracket does not hide where the others were opened.
 */
export function openBracketsBefore(tokens: Token[], offset: number): OpenBracket[] {
  const stack: OpenBracket[] = [];
  let previous: Token | undefined;
  for (const token of tokens) {
    if (token.start >= offset) break;
    if (token.type === 'comment') continue;
    if (token.type === 'operator') {
      if (token.text in closerOf) {
        // `name(` / `$fn(` / `function(` / `)(` is a call or an argument list, anything else opens a block.
        const call =
          token.text === '(' &&
          previous !== undefined &&
          (previous.type === 'variable' || previous.type === 'name' || (previous.type === 'operator' && previous.text === ')'));
        stack.push({ token, block: !call });
      } else if (token.text === ')' || token.text === ']' || token.text === '}') {
        const top = stack.at(-1);
        if (top !== undefined && closerOf[top.token.text] === token.text) stack.pop();
      }
    }
    previous = token;
  }
  return stack;
}

export function closerFor(opener: string): string | undefined {
  return closerOf[opener];
}
