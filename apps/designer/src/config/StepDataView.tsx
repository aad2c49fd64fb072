import type { Step } from '../api/types.ts';
import { JsonViewer } from '../components/JsonViewer.tsx';
import { StatusPill } from '../components/EmptyState.tsx';
import { errorText, formatDuration, formatTime } from '../lib/format.ts';
import { retryNote, waitingText } from '../lib/step-notes.ts';

function Truncated({ preview, testId }: { preview: string | undefined; testId: string }) {
  return (
    <div data-testid={testId}>
      <div className="banner banner-warning">Too large to keep in full: the start of it is shown.</div>
      <pre className="json-viewer">{preview ?? ''}</pre>
    </div>
  );
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
          {retryNote(step) !== null && <span className="muted" data-testid="step-retry">{retryNote(step)}</span>}
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
