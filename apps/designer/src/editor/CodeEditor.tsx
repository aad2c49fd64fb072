import { useEffect, useRef } from 'react';
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { json } from '@codemirror/lang-json';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import type { Diagnostic } from '@codemirror/lint';
import { Compartment, EditorState } from '@codemirror/state';
import type { Extension } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, keymap, lineNumbers, placeholder as placeholderExt } from '@codemirror/view';
import { pathCompletionSource } from './completions.ts';
import type { PathCompletion } from './completions.ts';
import { jsonataLanguage } from './jsonata-language.ts';

export type CodeLanguage = 'jsonata' | 'json' | 'javascript';

/** A problem to underline: 0-based character offsets into the editor text. */
export interface CodeProblem {
  from: number;
  to?: number;
  message: string;
  severity?: 'error' | 'warning';
}

export interface CodeEditorProps {
  value: string;
  onChange(value: string): void;
  language: CodeLanguage;
  problems?: readonly CodeProblem[];
  completions?: readonly PathCompletion[];
  functions?: readonly string[];
  readOnly?: boolean;
  lineNumbers?: boolean;
  minHeight?: number;
  placeholder?: string;
  testId?: string;
  ariaLabel?: string;
}

function languageExtension(lang: CodeLanguage): Extension {
  if (lang === 'json') return json();
  if (lang === 'javascript') return javascript();
  return jsonataLanguage;
}

/**
 * CodeMirror 6 as a controlled React component. The view is created once; value, problems,
 * completions and read-only changes are pushed into it without rebuilding it (so the cursor and
 * undo history survive re-renders).
 */
export function CodeEditor(props: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const readOnlyConf = useRef(new Compartment());

  useEffect(() => {
    if (!host.current) return;
    const extensions: Extension[] = [
      history(),
      drawSelection(),
      bracketMatching(),
      closeBrackets(),
      indentOnInput(),
      highlightActiveLine(),
      syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      languageExtension(props.language),
      autocompletion({
        override: [pathCompletionSource(() => latest.current.completions ?? [], () => latest.current.functions ?? [])],
        activateOnTyping: true,
      }),
      keymap.of([...closeBracketsKeymap, ...completionKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
      EditorView.lineWrapping,
      readOnlyConf.current.of([EditorState.readOnly.of(props.readOnly ?? false), EditorView.editable.of(!(props.readOnly ?? false))]),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) latest.current.onChange(u.state.doc.toString());
      }),
      EditorView.theme({ '&': { minHeight: `${props.minHeight ?? 60}px` }, '.cm-scroller': { minHeight: `${props.minHeight ?? 60}px` } }),
    ];
    // One-line editors (fields, mapping rows) get no gutter: an empty lint column beside a single
    // line reads as a stray box; their problems are underlined and listed under the field.
    if (props.lineNumbers ?? true) extensions.push(lineNumbers(), lintGutter());
    if (props.placeholder) extensions.push(placeholderExt(props.placeholder));
    const v = new EditorView({ parent: host.current, state: EditorState.create({ doc: props.value, extensions }) });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The view is built once per language; later prop changes are pushed by the effects below.
  }, [props.language]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const current = v.state.doc.toString();
    if (current !== props.value) v.dispatch({ changes: { from: 0, to: current.length, insert: props.value } });
  }, [props.value]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const ro = props.readOnly ?? false;
    v.dispatch({ effects: readOnlyConf.current.reconfigure([EditorState.readOnly.of(ro), EditorView.editable.of(!ro)]) });
  }, [props.readOnly]);

  // Callers build `problems` afresh on every render: compare by content, so a parent re-render does
  // not dispatch a transaction into every editor.
  const problemsKey = JSON.stringify(props.problems ?? []);
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const len = v.state.doc.length;
    const diagnostics: Diagnostic[] = (props.problems ?? []).map((p) => {
      const from = Math.max(0, Math.min(p.from, len));
      const to = Math.max(from, Math.min(p.to ?? from + 1, len));
      return { from, to, message: p.message, severity: p.severity ?? 'error' };
    });
    v.dispatch(setDiagnostics(v.state, diagnostics));
    // props.problems is read through problemsKey, its content.
  }, [problemsKey, props.value]);

  return <div className={`code-editor${props.readOnly ? ' read-only' : ''}`} ref={host} data-testid={props.testId} aria-label={props.ariaLabel} />;
}

/** 0-based offset of a 1-based line/column in `text`. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl === -1) return text.length;
    offset = nl + 1;
  }
  return Math.min(text.length, offset + Math.max(0, column - 1));
}
