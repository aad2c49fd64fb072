import type { Step } from '../api/types.ts';
import { JsonViewer } from '../components/JsonViewer.tsx';
import { StatusPill } from '../components/EmptyState.tsx';
import { errorText, formatDuration, formatTime } from '../lib/format.ts';

function Truncated({ preview, testId }: { preview: string | undefined; testId: string }) {
  return (
    <div data-testid={testId}>
      <div className="banner banner-warning">Too large to keep in full: the start of it is shown.</div>
      <pre className="json-viewer">{preview ?? ''}</pre>
    </div>
  );
}

/** For a step waiting to run again: the time it resumes, from `error.details.resumeAt`. */
function resumeAtOf(step: Step): string | undefined {
  const details = typeof step.error === 'object' && step.error !== null ? (step.error as Record<string, unknown>)['details'] : undefined;
  const at = typeof details === 'object' && details !== null ? (details as Record<string, unknown>)['resumeAt'] : undefined;
  return typeof at === 'string' ? at : undefined;
}

/** What a waiting step says: why it waits (its message, not an error) and when it runs again. */
export function waitingText(step: Step): string {
  const e = typeof step.error === 'object' && step.error !== null ? (step.error as Record<string, unknown>) : {};
  const why = typeof e['message'] === 'string' ? e['message'] : 'the step asked to run again later';
  const at = resumeAtOf(step);
  return at ? `Waiting until ${formatTime(at)}: ${why}.` : `Waiting: ${why}.`;
}

/** One step's recorded data: status, timings, error, input and output. */
export function StepDataView({ step }: { step: Step }) {
  return (
    <div className="step-data" data-testid={`step-data-${step.nodeId}`}>
      <div className="step-data-meta">
        <StatusPill status={step.status} />
        <span>{formatDuration(step.durationMs)}</span>
        {step.attempt !== undefined && <span className="muted">attempt {step.attempt}</span>}
        {step.startedAt && <span className="muted">{formatTime(step.startedAt)}</span>}
      </div>
      {step.status === 'waiting' ? (
        <div className="banner banner-info" data-testid="step-waiting">
          {waitingText(step)}
        </div>
      ) : step.error !== undefined && step.error !== null && (
        <div className="banner banner-error" data-testid="step-error">
          {errorText(step.error)}
        </div>
      )}
      <h4 className="section-title">Input</h4>
      {step.inputTruncated ? <Truncated preview={step.inputPreview} testId="step-input" /> : <JsonViewer value={step.input} testId="step-input" />}
      {step.status !== 'waiting' && <h4 className="section-title">Output</h4>}
      {step.status === 'waiting' ? null : step.outputTruncated ? <Truncated preview={step.outputPreview} testId="step-output" /> : <JsonViewer value={step.output} testId="step-output" />}
      {step.logs.length > 0 && (
        <>
          <h4 className="section-title">Logs</h4>
          <pre className="logs">{step.logs.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}</pre>
        </>
      )}
    </div>
  );
}
