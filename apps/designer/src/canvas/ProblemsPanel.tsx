import { useState } from 'react';
import type { FlowIssue } from '@tributary/flow';

/** Every validation issue of the draft; clicking one selects its node. */
export function ProblemsPanel({ issues, onSelect }: { issues: readonly FlowIssue[]; onSelect(issue: FlowIssue): void }) {
  const [open, setOpen] = useState(true);
  const errors = issues.filter((i) => (i.severity ?? 'error') === 'error').length;
  const warnings = issues.length - errors;
  return (
    <section className={`problems${open ? ' open' : ''}`} data-testid="problems">
      <button className="problems-header" onClick={() => setOpen(!open)} data-testid="problems-toggle">
        <span>{open ? '▾' : '▸'} Problems</span>
        <span className={`count ${errors ? 'count-error' : 'count-ok'}`} data-testid="problems-error-count">
          {errors} {errors === 1 ? 'error' : 'errors'}
        </span>
        {warnings > 0 && <span className="count count-warning">{warnings} {warnings === 1 ? 'warning' : 'warnings'}</span>}
      </button>
      {open && (
        <ul className="problems-list" data-testid="problems-list">
          {issues.length === 0 && <li className="muted problems-empty">No problems: the flow is ready to publish.</li>}
          {issues.map((issue, i) => {
            const severity = issue.severity ?? 'error';
            return (
              <li key={`${issue.code}:${issue.path}:${i}`}>
                <button className={`problem problem-${severity}`} onClick={() => onSelect(issue)} data-testid={`problem-${i}`} data-node-id={issue.nodeId ?? ''} data-code={issue.code}>
                  <span className="problem-icon">{severity === 'error' ? '✖' : '⚠'}</span>
                  <span className="problem-message">{issue.message}</span>
                  <span className="problem-where mono">
                    {issue.nodeId ? `${issue.nodeId} · ` : ''}
                    {issue.line !== undefined ? `${issue.line}:${issue.column ?? 1} · ` : ''}
                    {issue.code}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
