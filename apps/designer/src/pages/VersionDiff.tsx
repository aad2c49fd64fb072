import { useMemo, useState } from 'react';
import { serializeFlow } from '@tributary/flow';
import type { FlowDocument } from '@tributary/flow';
import { flowDiff } from '../lib/flow-diff.ts';
import { diffHunks, lineDiff } from '../lib/line-diff.ts';

/** Two views of one change: which nodes and edges changed, and the canonical JSON line by line (layout left out). */
export function VersionDiff({ before, after, beforeLabel, afterLabel }: { before: FlowDocument; after: FlowDocument; beforeLabel: string; afterLabel: string }) {
  const [view, setView] = useState<'nodes' | 'text'>('nodes');
  const summary = useMemo(() => flowDiff(before, after), [before, after]);
  const hunks = useMemo(() => diffHunks(lineDiff(serializeFlow(before, { layout: false }), serializeFlow(after, { layout: false }))), [before, after]);
  const nothing = summary.nodes.length === 0 && summary.edgesAdded.length === 0 && summary.edgesRemoved.length === 0 && summary.meta.length === 0;
  return (
    <div className="version-diff" data-testid="version-diff">
      <div className="segmented">
        <button className={view === 'nodes' ? 'active' : ''} onClick={() => setView('nodes')} data-testid="diff-view-nodes">
          Nodes
        </button>
        <button className={view === 'text' ? 'active' : ''} onClick={() => setView('text')} data-testid="diff-view-text">
          JSON
        </button>
      </div>
      {nothing ? (
        <p className="muted">
          {beforeLabel} and {afterLabel} behave the same (positions on the canvas may differ).
        </p>
      ) : view === 'nodes' ? (
        <ul className="node-diff" data-testid="node-diff">
          {summary.meta.map((m) => (
            <li key={m} className="diff-changed">
              <span className="diff-tag">changed</span> flow {m}
            </li>
          ))}
          {summary.nodes.map((n) => (
            <li key={n.id} className={`diff-${n.kind}`} data-testid={`diff-node-${n.id}`}>
              <span className="diff-tag">{n.kind}</span> <span className="mono">{n.id}</span>
              {n.fields.length > 0 && <span className="muted small"> — {n.fields.join(', ')}</span>}
            </li>
          ))}
          {summary.edgesAdded.map((e) => (
            <li key={`+${e.from}${e.port ?? ''}${e.to}`} className="diff-added">
              <span className="diff-tag">added</span> edge <span className="mono">{`${e.from}${e.port ? `.${e.port}` : ''} → ${e.to}`}</span>
            </li>
          ))}
          {summary.edgesRemoved.map((e) => (
            <li key={`-${e.from}${e.port ?? ''}${e.to}`} className="diff-removed">
              <span className="diff-tag">removed</span> edge <span className="mono">{`${e.from}${e.port ? `.${e.port}` : ''} → ${e.to}`}</span>
            </li>
          ))}
        </ul>
      ) : (
        <pre className="line-diff" data-testid="line-diff">
          {hunks.map((h, i) =>
            h.kind === 'fold' ? (
              <div key={i} className="diff-fold">
                ⋯ {h.count} unchanged line{h.count === 1 ? '' : 's'}
              </div>
            ) : (
              <div key={i} className={`diff-line diff-${h.kind}`}>
                <span className="diff-no">{h.oldNo ?? ''}</span>
                <span className="diff-no">{h.newNo ?? ''}</span>
                <span className="diff-sign">{h.kind === 'added' ? '+' : h.kind === 'removed' ? '−' : ' '}</span>
                {h.text}
              </div>
            ),
          )}
        </pre>
      )}
    </div>
  );
}
