import { StreamLanguage } from '@codemirror/language';
import type { StringStream } from '@codemirror/language';

interface JsonataState {
  inComment: boolean;
}

const KEYWORDS = new Set(['and', 'or', 'in', 'function']);
const ATOMS = new Set(['true', 'false', 'null']);

/** JSONata highlighting: strings, numbers, comments, `$variables`, `$functions(`, operators. */
export const jsonataLanguage = StreamLanguage.define<JsonataState>({
  name: 'jsonata',
  startState: () => ({ inComment: false }),
  // Token names are CodeMirror tag names, a modifier after a dot ("variableName.function");
  // the "function(variableName)" form is not understood and only logged a warning.
  token(stream: StringStream, state: JsonataState): string | null {
    if (state.inComment) {
      if (stream.skipTo('*/')) {
        stream.match('*/');
        state.inComment = false;
      } else stream.skipToEnd();
      return 'comment';
    }
    if (stream.eatSpace()) return null;
    if (stream.match('/*')) {
      state.inComment = true;
      return 'comment';
    }
    const ch = stream.peek();
    if (ch === '"' || ch === "'") {
      const quote = stream.next();
      let escaped = false;
      for (let c = stream.next(); c !== undefined; c = stream.next()) {
        if (c === quote && !escaped) break;
        escaped = !escaped && c === '\\';
      }
      return 'string';
    }
    if (ch === '`') {
      stream.next();
      stream.skipTo('`');
      stream.next();
      return 'propertyName';
    }
    if (stream.match(/^-?\d+(\.\d+)?([eE][+-]?\d+)?/)) return 'number';
    if (stream.match(/^\$[A-Za-z0-9_]*(?=\s*\()/)) return 'variableName.function';
    if (stream.match(/^\$\$?[A-Za-z0-9_]*/)) return 'variableName.special';
    if (stream.match(/^[A-Za-z_][A-Za-z0-9_]*/)) {
      const word = stream.current();
      if (KEYWORDS.has(word)) return 'keyword';
      if (ATOMS.has(word)) return 'atom';
      return 'propertyName';
    }
    if (stream.match(/^(:=|!=|<=|>=|~>|\.\.|\?:|\?\?|[-+*/%&=<>!?:.~^#@|])/)) return 'operator';
    if (stream.match(/^[[\](){},;]/)) return 'punctuation';
    stream.next();
    return null;
  },
  languageData: { commentTokens: { block: { open: '/*', close: '*/' } }, closeBrackets: { brackets: ['(', '[', '{', '"', "'", '`'] } },
});
