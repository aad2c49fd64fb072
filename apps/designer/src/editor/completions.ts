import type { Completion, CompletionContext, CompletionResult, CompletionSource } from '@codemirror/autocomplete';

export interface PathCompletion {
  /** Full text to insert, e.g. `$trigger.line_items.sku` or `$steps.map1.order`. */
  path: string;
  /** A short type hint shown beside the option: `string`, `array`, `object`… */
  detail?: string;
}

/**
 * Completes `$trigger…`, `$steps.<id>…`, library functions and (in mappings) source fields. The
 * whole dotted path before the cursor is the prefix, so typing `$steps.ma` offers `$steps.map1`
 * and its fields.
 */
export function pathCompletionSource(getPaths: () => readonly PathCompletion[], getFunctions: () => readonly string[] = () => []): CompletionSource {
  return (ctx: CompletionContext): CompletionResult | null => {
    const word = ctx.matchBefore(/\$?[A-Za-z0-9_$.`[\]-]*/);
    if (!word || (word.from === word.to && !ctx.explicit)) return null;
    const text = word.text;
    const options: Completion[] = [];
    for (const p of getPaths()) {
      if (!p.path.startsWith(text) && !(text.length > 0 && !text.startsWith('$') && p.path.includes(text))) continue;
      const option: Completion = { label: p.path, type: p.path.startsWith('$') ? 'variable' : 'property' };
      if (p.detail) option.detail = p.detail;
      options.push(option);
    }
    if (text.startsWith('$') && !text.includes('.')) {
      for (const f of getFunctions()) if (f.startsWith(text)) options.push({ label: f, type: 'function', apply: `${f}(` });
    }
    if (options.length === 0) return null;
    return { from: word.from, options, validFor: /^\$?[A-Za-z0-9_$.`[\]-]*$/ };
  };
}
