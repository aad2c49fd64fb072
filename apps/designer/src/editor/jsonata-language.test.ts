import { afterEach, describe, expect, it, vi } from 'vitest';
import { EditorState } from '@codemirror/state';
import { ensureSyntaxTree } from '@codemirror/language';
import { jsonataLanguage } from './jsonata-language.ts';

afterEach(() => vi.restoreAllMocks());

/** The highlighting token names over `text`, in order (whitespace and untagged text left out). */
function tokens(text: string): Array<[string, string]> {
  const state = EditorState.create({ doc: text, extensions: [jsonataLanguage] });
  const tree = ensureSyntaxTree(state, state.doc.length, 5_000);
  if (!tree) throw new Error('no syntax tree');
  const out: Array<[string, string]> = [];
  tree.iterate({
    enter(node) {
      if (node.type.isTop) return;
      out.push([node.name, text.slice(node.from, node.to)]);
    },
  });
  return out;
}

describe('JSONata highlighting', () => {
  it('tags $functions and $variables without CodeMirror warning about unknown tags', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const seen = tokens('$lowercase($trigger.email) & $$.name');
    expect(seen).toContainEqual(['variableName.function', '$lowercase']);
    expect(seen).toContainEqual(['variableName.special', '$trigger']);
    expect(seen).toContainEqual(['variableName.special', '$$']);
    expect(warn).not.toHaveBeenCalled();
  });
});
