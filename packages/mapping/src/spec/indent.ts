import { tokenize } from '../lexer.ts';

/** Offsets of the line breaks in a JSONata text that are not inside a string literal. */
function codeLineBreaks(text: string): number[] {
  const strings = tokenize(text).filter((t) => t.type === 'string' || t.type === 'unterminated' || t.type === 'name');
  const breaks: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text.charAt(i) === '\n' && !strings.some((s) => i > s.start && i < s.end)) breaks.push(i);
  }
  return breaks;
}

/** Adds `indent` after every line break of the code (never inside quoted text, where it would change the value). */
export function indentContinuation(text: string, indent: string): string {
  let result = '';
  let last = 0;
  for (const at of codeLineBreaks(text)) {
    result += `${text.slice(last, at + 1)}${indent}`;
    last = at + 1;
  }
  return result + text.slice(last);
}

/** Undoes indentContinuation: removes `indent` after line breaks of the code when every such line has it. */
export function dedentContinuation(text: string, indent: string): string {
  if (indent === '') return text;
  const breaks = codeLineBreaks(text);
  const allIndented = breaks.every((at) => {
    const line = text.slice(at + 1, text.indexOf('\n', at + 1) === -1 ? text.length : text.indexOf('\n', at + 1));
    return line.startsWith(indent) || line.trim() === '';
  });
  if (!allIndented) return text;
  let result = '';
  let last = 0;
  for (const at of breaks) {
    result += text.slice(last, at + 1);
    last = text.startsWith(indent, at + 1) ? at + 1 + indent.length : at + 1;
  }
  return result + text.slice(last);
}
