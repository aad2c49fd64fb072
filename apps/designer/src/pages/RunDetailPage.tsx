import { useCallback, useEffect, useState } from 'react';
import { z } from 'zod';
import { api } from '../api/client.ts';
import type { RunDetail, Step } from '../api/types.ts';
import { EmptyState, Spinner, StatusPill } from '../components/EmptyState.tsx';
import { ConfirmDialog, Modal } from '../components/Modal.tsx';
import { JsonViewer } from '../components/JsonViewer.tsx';
import { StepDataView } from '../config/StepDataView.tsx';
import { errorText, formatDuration, formatTime } from '../lib/format.ts';
import { runWaitingText } from '../lib/step-notes.ts';
import { href, navigate } from '../router.ts';
import { usePermissions } from '../state/useSession.ts';
import { toastError, toastSuccess } from '../state/useToasts.ts';

/** Where each step sits on the run's time axis, as fractions of the whole run. */
export function timelineBars(steps: readonly Step[]): Array<{ left: number; width: number }> {
  const starts = steps.map((s) => (s.startedAt ? Date.parse(s.startedAt) : NaN));
  const known = starts.filter((t) => !Number.isNaN(t));
  if (known.length === 0) {
    const total = steps.reduce((sum, s) => sum + (s.durationMs ?? 0), 0) || 1;
    let acc = 0;
    return steps.map((s) => {
      const bar = { left: acc / total, width: (s.durationMs ?? 0) / total };
      acc += s.durationMs ?? 0;
      return bar;
    });
  }
  const t0 = Math.min(...known);
  const t1 = Math.max(...steps.map((s, i) => (Number.isNaN(starts[i] ?? NaN) ? t0 : (starts[i] ?? t0) + (s.durationMs ?? 0))));
  const span = Math.max(1, t1 - t0);
  return steps.map((s, i) => {
    const start = Number.isNaN(starts[i] ?? NaN) ? t0 : (starts[i] ?? t0);
    return { left: (start - t0) / span, width: Math.max(0.004, (s.durationMs ?? 0) / span) };
  });
}

export function RunDetailPage({ runId }: { runId: string }) {
  const perms = usePermissions();
  const [run, setRun] = useState<RunDetail | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [replaying, setReplaying] = useState(false);
  const [stopping, setStopping] = useState<'ask' | 'busy' | null>(null);

  const load = useCallback(() => {
    api.runs.get(runId).then(
      (r) => {
        setRun(r);
        // Open what explains the run: the step that failed, else the one it is waiting on.
        const failed = r.steps.findIndex((s) => s.status === 'failed');
        const explains = failed !== -1 ? failed : r.steps.findIndex((s) => s.status === 'waiting');
        setOpen((o) => o ?? (explains === -1 ? null : explains));
      },
      (err: unknown) => setFailed(err instanceof Error ? err.message : String(err)),
    );
  }, [runId]);
  useEffect(load, [load]);

  async function stop() {
    setStopping('busy');
    try {
      await api.runs.cancel(runId);
      toastSuccess('Run stopped');
      load();
    } catch (err) {
      // Most often it finished meanwhile: show what it is now.
      toastError(err);
      load();
    } finally {
      setStopping(null);
    }
  }

  if (failed) return <EmptyState title="This run could not be loaded">{failed}</EmptyState>;
  if (!run) return <Spinner label="Loading run…" />;
  const unfinished = run.status === 'queued' || run.status === 'running' || run.status === 'waiting';
  const bars = timelineBars(run.steps);
  const failedStep = run.steps.find((s) => s.status === 'failed');
  return (
    <div className="page" data-testid="run-detail">
      <header className="page-header">
        <div>
          <div className="breadcrumb">
            <a href={href('/runs')}>Runs</a> / <span className="mono">{run.id}</span>
          </div>
          <h1>
            <StatusPill status={run.status} /> {run.flowName ?? run.flowId ?? 'Run'}
          </h1>
          <div className="muted">
            {run.version !== undefined ? `version ${run.version}` : 'test run'} · started {formatTime(run.startedAt ?? run.createdAt)} · {formatDuration(run.durationMs)}
          </div>
          {run.replayOf && (
            // Without this a replay reads like a fresh event, and nothing leads back to the failure it answers.
            <div className="muted" data-testid="run-replay-of">
              Replay of{' '}
              <a className="mono" href={href(`/runs/${encodeURIComponent(run.replayOf)}`)}>
                {run.replayOf}
              </a>
              {run.replayFromNode ? (
                <>
                  {' '}
                  from step <span className="mono">{run.replayFromNode}</span>; the steps before it reuse that run’s recorded outputs.
                </>
              ) : (
                ' from the beginning.'
              )}
            </div>
          )}
        </div>
        <div className="page-actions">
          {run.flowId && (
            <a className="button" href={href(`/flows/${encodeURIComponent(run.flowId)}`)}>
              Open flow
            </a>
          )}
          {perms.cancelRuns && unfinished && (
            <button className="button button-danger" onClick={() => setStopping('ask')} data-testid="stop-run">
              Stop run…
            </button>
          )}
          {perms.replayRuns && (
            <button className="button button-primary" onClick={() => setReplaying(true)} data-testid="replay">
              Replay…
            </button>
          )}
        </div>
      </header>
      {stopping && (
        <ConfirmDialog
          title="Stop this run?"
          message={
            <>
              The run is recorded as cancelled now. A step in progress is stopped and no step after it runs; it is not tried again. What already ran stays done: a sales order a step already sent is
              not taken back.
            </>
          }
          confirmLabel="Stop run"
          danger
          busy={stopping === 'busy'}
          onConfirm={() => void stop()}
          onCancel={() => setStopping(null)}
        />
      )}
      {run.status === 'waiting' ? (
        <div className="banner banner-info" data-testid="run-waiting">
          {runWaitingText(run)}
        </div>
      ) : (
        run.error !== undefined && run.error !== null && <div className="banner banner-error">{errorText(run.error)}</div>
      )}
      {run.trigger !== undefined && run.trigger !== null && (
        <details className="card trigger-event" data-testid="run-trigger">
          <summary>Trigger event</summary>
          <JsonViewer value={run.trigger} openDepth={1} />
        </details>
      )}
      {run.steps.length === 0 ? (
        <EmptyState title="No steps recorded yet" />
      ) : (
        <div className="timeline" data-testid="run-steps">
          {run.steps.map((s, i) => (
            <div key={`${s.nodeId}:${i}`} className={`timeline-row${open === i ? ' open' : ''}`}>
              <button className="timeline-head" onClick={() => setOpen(open === i ? null : i)} data-testid={`run-step-${s.nodeId}`} data-status={s.status}>
                <span className="timeline-node mono">{s.nodeId}</span>
                <StatusPill status={s.status} />
                <span className="muted small">{s.attempt !== undefined && s.attempt > 1 ? `attempt ${s.attempt}` : ''}</span>
                <span className="timeline-track">
                  <span className={`timeline-bar bar-${s.status}`} style={{ left: `${(bars[i]?.left ?? 0) * 100}%`, width: `${(bars[i]?.width ?? 0) * 100}%` }} />
                </span>
                <span className="timeline-duration">{formatDuration(s.durationMs)}</span>
              </button>
              {open === i && <StepDataView step={s} />}
            </div>
          ))}
        </div>
      )}
      {replaying && <ReplayDialog run={run} defaultNode={failedStep?.nodeId ?? ''} onClose={() => setReplaying(false)} />}
    </div>
  );
}

const replayAnswer = z.looseObject({ runId: z.string().optional(), id: z.string().optional(), run: z.looseObject({ id: z.string() }).optional() });

function ReplayDialog({ run, defaultNode, onClose }: { run: RunDetail; defaultNode: string; onClose(): void }) {
  const [fromNode, setFromNode] = useState(defaultNode);
  const [version, setVersion] = useState<'same' | 'current'>('same');
  const [busy, setBusy] = useState(false);
  async function replay() {
    setBusy(true);
    try {
      const answer = await api.runs.replay(run.id, fromNode ? { fromNode, version } : { version });
      const parsed = replayAnswer.safeParse(answer);
      const newId = parsed.success ? (parsed.data.runId ?? parsed.data.run?.id ?? parsed.data.id) : undefined;
      toastSuccess('Replay started');
      onClose();
      if (newId) navigate(`/runs/${encodeURIComponent(newId)}`);
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal
      title="Replay run"
      onClose={onClose}
      testId="replay-dialog"
      footer={
        <>
          <button className="button" onClick={onClose}>
            Cancel
          </button>
          <button className="button button-primary" disabled={busy} onClick={() => void replay()} data-testid="replay-confirm">
            Replay
          </button>
        </>
      }
    >
      <label className="field">
        <span className="field-label">Start from</span>
        <select value={fromNode} onChange={(e) => setFromNode(e.target.value)} data-testid="replay-from">
          <option value="">The beginning (trigger event)</option>
          {run.steps.map((s, i) => (
            <option key={`${s.nodeId}:${i}`} value={s.nodeId}>
              {s.nodeId} ({s.status})
            </option>
          ))}
        </select>
        <span className="field-help">Steps before it reuse their recorded outputs; writes carry the same idempotency keys, so nothing is created twice.</span>
      </label>
      <div className="field">
        <span className="field-label">Flow version</span>
        <label className="radio">
          <input type="radio" checked={version === 'same'} onChange={() => setVersion('same')} data-testid="replay-same" /> The version this run used{run.version !== undefined ? ` (v${run.version})` : ''}
        </label>
        <label className="radio">
          <input type="radio" checked={version === 'current'} onChange={() => setVersion('current')} data-testid="replay-current" /> The current published version (with your fix)
        </label>
      </div>
    </Modal>
  );
}
