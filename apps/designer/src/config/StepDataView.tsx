import type { Step } from '../api/types.ts';
import { JsonViewer } from '../components/JsonViewer.tsx';
import { StatusPill } from '../components/EmptyState.tsx';
import { errorText, formatDuration, formatTime } from '../lib/format.ts';

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
      {step.error !== undefined && step.error !== null && (
        <div className="banner banner-error" data-testid="step-error">
          {errorText(step.error)}
        </div>
      )}
      <h4 className="section-title">Input</h4>
      <JsonViewer value={step.input} testId="step-input" />
      <h4 className="section-title">Output</h4>
      <JsonViewer value={step.output} testId="step-output" />
      {step.logs.length > 0 && (
        <>
          <h4 className="section-title">Logs</h4>
          <pre className="logs">{step.logs.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}</pre>
        </>
      )}
    </div>
  );
}
