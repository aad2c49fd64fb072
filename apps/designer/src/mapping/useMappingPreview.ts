import { useEffect, useState } from 'react';
import { preview } from '@tributary/mapping';
import type { MappingIssue, PreviewResult } from '@tributary/mapping';

export type PreviewState = { status: 'idle' } | { status: 'running' } | { status: 'done'; result: PreviewResult };

/**
 * Live preview of a mapping on the sample, re-run 300 ms after the last change. A newer change
 * discards an older evaluation's answer, so the pane never shows a stale result.
 */
export function useMappingPreview(text: string, sample: unknown, bindings: Record<string, unknown>, delayMs = 300): PreviewState {
  const [state, setState] = useState<PreviewState>({ status: 'idle' });
  useEffect(() => {
    if (text.trim() === '') {
      setState({ status: 'idle' });
      return;
    }
    let cancelled = false;
    setState((s) => (s.status === 'done' ? s : { status: 'running' }));
    const timer = setTimeout(() => {
      preview(text, sample, { bindings, timeoutMs: 2000 }).then(
        (result) => !cancelled && setState({ status: 'done', result }),
        (err: unknown) => {
          const issue: MappingIssue = { code: 'MAPPING_RUNTIME', message: err instanceof Error ? err.message : String(err) };
          if (!cancelled) setState({ status: 'done', result: { ok: false, errors: [issue] } });
        },
      );
    }, delayMs);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [text, sample, bindings, delayMs]);
  return state;
}
