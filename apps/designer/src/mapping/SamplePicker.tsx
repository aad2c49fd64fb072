import { useEffect, useMemo, useState } from 'react';
import { parseSample } from '@tributary/mapping';
import { api } from '../api/client.ts';
import type { RunDetail, RunSummary } from '../api/types.ts';
import { CodeEditor } from '../editor/CodeEditor.tsx';
import { formatTime } from '../lib/format.ts';
import { toastError } from '../state/useToasts.ts';

export type SampleMode = 'auto' | 'paste' | 'run';

export interface SamplePickerProps {
  flowId: string;
  nodeId: string;
  /** The sample the mapping gets without help: the last test run's input, else the upstream node's sample. */
  autoSample: unknown;
  autoLabel: string;
  /** The node feeding this one, whose recorded output is the input when the run has none for this node. */
  upstreamId: string | null;
  onChange(sample: unknown): void;
}

/** The input a run recorded for `nodeId`, else the output of the step before it, else the trigger payload. */
export function sampleFromRun(run: RunDetail, nodeId: string, upstreamId: string | null): unknown {
  const own = run.steps.find((s) => s.nodeId === nodeId);
  if (own && own.input !== undefined) return own.input;
  const up = upstreamId ? run.steps.find((s) => s.nodeId === upstreamId) : undefined;
  if (up && up.output !== undefined) return up.output;
  return run.trigger ?? run.steps[0]?.output;
}

/**
 * JSON pasted as a node's sample, by flow and node, for as long as the page lives: closing and
 * reopening the mapper must not make the analyst paste it again. Not part of the flow document.
 */
const pastedSamples = new Map<string, string>();

/** Where the mapping's sample comes from: the flow's own sample, pasted JSON, or a past run. */
export function SamplePicker({ flowId, nodeId, autoSample, autoLabel, onChange, upstreamId }: SamplePickerProps) {
  const pastedKey = `${flowId}\u0000${nodeId}`;
  const [mode, setMode] = useState<SampleMode>(() => (pastedSamples.has(pastedKey) ? 'paste' : 'auto'));
  const [text, setText] = useState(() => pastedSamples.get(pastedKey) ?? JSON.stringify(autoSample ?? {}, null, 2));
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [runId, setRunId] = useState('');
  const parsed = useMemo(() => parseSample(text), [text]);

  useEffect(() => {
    if (mode === 'auto') onChange(autoSample);
    if (mode === 'paste' && parsed.ok) onChange(parsed.value);
  }, [mode, autoSample, parsed, onChange]);

  useEffect(() => {
    if (mode === 'paste') pastedSamples.set(pastedKey, text);
    else pastedSamples.delete(pastedKey);
  }, [mode, text, pastedKey]);

  useEffect(() => {
    if (mode !== 'run' || runs !== null) return;
    api.runs.list({ flowId, limit: 25 }).then(
      (page) => setRuns(page.items),
      (err: unknown) => {
        setRuns([]);
        toastError(err);
      },
    );
  }, [mode, runs, flowId]);

  async function pickRun(id: string) {
    setRunId(id);
    if (!id) return;
    try {
      onChange(sampleFromRun(await api.runs.get(id), nodeId, upstreamId));
    } catch (err) {
      toastError(err);
    }
  }

  return (
    <div className="sample-picker" data-testid="sample-picker">
      <div className="segmented">
        {(['auto', 'paste', 'run'] as const).map((m) => (
          <button key={m} className={mode === m ? 'active' : ''} onClick={() => setMode(m)} data-testid={`sample-mode-${m}`}>
            {m === 'auto' ? 'Flow sample' : m === 'paste' ? 'Paste JSON' : 'From a run'}
          </button>
        ))}
      </div>
      {mode === 'auto' && <div className="muted small">{autoLabel}</div>}
      {mode === 'paste' && (
        <>
          <CodeEditor language="json" value={text} onChange={setText} minHeight={120} lineNumbers={false} testId="sample-json" problems={parsed.ok ? [] : [{ from: parsed.issue.offset ?? 0, message: parsed.issue.message }]} />
          {!parsed.ok && (
            <div className="field-issue field-issue-error">
              {parsed.issue.line !== undefined ? `${parsed.issue.line}:${parsed.issue.column ?? 1} ` : ''}
              {parsed.issue.message}
            </div>
          )}
        </>
      )}
      {mode === 'run' && (
        <select value={runId} onChange={(e) => void pickRun(e.target.value)} data-testid="sample-run">
          <option value="">{runs === null ? 'Loading runs…' : runs.length === 0 ? 'No runs of this flow yet' : '— choose a run —'}</option>
          {(runs ?? []).map((r) => (
            <option key={r.id} value={r.id}>
              {formatTime(r.startedAt ?? r.createdAt)} · {r.status} · {r.id}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}
