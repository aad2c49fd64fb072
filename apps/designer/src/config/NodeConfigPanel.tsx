import { useEffect, useMemo, useState } from 'react';
import { parseIssuePath } from '@tributary/flow';
import type { FlowIssue, FlowNode, NodeTypeSpec, PropSpec, RetryPolicy } from '@tributary/flow';
import type { Step } from '../api/types.ts';
import { isValidNodeId } from '../canvas/node-ids.ts';
import { useFlowDocIgnoringLayout, useFlowStore, useFlowStoreApi } from '../canvas/useFlowStore.ts';
import type { PathCompletion } from '../editor/completions.ts';
import { PropField } from './PropField.tsx';
import { StepDataView } from './StepDataView.tsx';
import { WebhookAddress } from './WebhookAddress.tsx';

export interface NodeConfigPanelProps {
  nodeId: string;
  catalog: Readonly<Record<string, NodeTypeSpec>>;
  issues: readonly FlowIssue[];
  completions: readonly PathCompletion[];
  functions: readonly string[];
  step: Step | null;
  onOpenMapping(nodeId: string, prop: string): void;
  onClose(): void;
}

/** Issues whose path lies under `nodes[index].config.<prop>`, grouped by prop; the rest of the node's issues apart. */
function issuesByProp(issues: readonly FlowIssue[], nodeId: string, index: number): { byProp: Record<string, FlowIssue[]>; other: FlowIssue[] } {
  const byProp: Record<string, FlowIssue[]> = {};
  const other: FlowIssue[] = [];
  for (const issue of issues) {
    const seg = parseIssuePath(issue.path) ?? [];
    if (seg[0] === 'nodes' && seg[1] === index && seg[2] === 'config' && typeof seg[3] === 'string') {
      (byProp[seg[3]] ??= []).push(issue);
    } else if (issue.nodeId === nodeId) other.push(issue);
  }
  return { byProp, other };
}

export function NodeConfigPanel(props: NodeConfigPanelProps) {
  const store = useFlowStoreApi();
  const doc = useFlowDocIgnoringLayout();
  const readOnly = useFlowStore((s) => s.readOnly);
  const index = doc.nodes.findIndex((n) => n.id === props.nodeId);
  const node = doc.nodes[index];
  const [tab, setTab] = useState<'config' | 'run'>('config');
  const [showAdvanced, setShowAdvanced] = useState(false);
  useEffect(() => setTab(props.step ? 'run' : 'config'), [props.nodeId, props.step]);
  const fieldIssues = useMemo(() => issuesByProp(props.issues, props.nodeId, index), [props.issues, props.nodeId, index]);
  if (!node) return null;
  const spec = props.catalog[node.type];
  const isTrigger = doc.trigger === node.id;
  const dispatch = store.getState().dispatch;
  const seal = () => store.getState().seal();
  const entries = Object.entries(spec?.props ?? {});
  const basic = entries.filter(([, p]) => !p.advanced);
  const advanced = entries.filter(([, p]) => p.advanced);
  const known = new Set(entries.map(([k]) => k));
  const unknownKeys = Object.keys(node.config).filter((k) => !known.has(k));

  const field = ([key, prop]: [string, PropSpec]) => (
    <PropField
      key={`${node.id}:${key}`}
      nodeId={node.id}
      name={key}
      spec={prop}
      value={node.config[key]}
      onChange={(value) => dispatch({ type: 'setConfig', nodeId: node.id, key, value }, { coalesce: `${node.id}.config.${key}` })}
      onBlur={seal}
      issues={fieldIssues.byProp[key] ?? []}
      completions={props.completions}
      functions={props.functions}
      readOnly={readOnly}
      onOpenMapping={() => props.onOpenMapping(node.id, key)}
    />
  );

  return (
    <aside className="side-panel" data-testid="config-panel" data-node-id={node.id}>
      <header className="side-panel-header">
        <div>
          <div className="side-panel-title">{node.name ?? spec?.label ?? node.id}</div>
          <div className="muted small mono">{node.type}</div>
        </div>
        <button className="icon-button" aria-label="Close panel" onClick={props.onClose}>
          ×
        </button>
      </header>
      <div className="tabs">
        <button className={`tab${tab === 'config' ? ' active' : ''}`} onClick={() => setTab('config')} data-testid="tab-config">
          Configuration
        </button>
        <button className={`tab${tab === 'run' ? ' active' : ''}`} onClick={() => setTab('run')} disabled={!props.step} data-testid="tab-run">
          Test data
        </button>
      </div>
      {tab === 'run' && props.step ? (
        <StepDataView step={props.step} />
      ) : (
        <div className="side-panel-body">
          {!spec && <div className="banner banner-error">Unknown node type “{node.type}”: no connector provides it. Replace or delete this node.</div>}
          {spec?.description && <p className="muted small">{spec.description}</p>}
          {fieldIssues.other.map((i, k) => (
            <div key={k} className={`field-issue field-issue-${i.severity ?? 'error'}`}>
              {i.message}
            </div>
          ))}
          <GeneralSection node={node} isTrigger={isTrigger} canBeTrigger={spec?.kind === 'trigger'} readOnly={readOnly} />
          {isTrigger && spec?.trigger?.source === 'webhook' && <WebhookAddress flowId={doc.id} />}
          {basic.length > 0 && <h3 className="section-title">Settings</h3>}
          {basic.map(field)}
          {advanced.length > 0 && (
            <button className="link-button" onClick={() => setShowAdvanced(!showAdvanced)}>
              {showAdvanced ? '▾' : '▸'} Advanced ({advanced.length})
            </button>
          )}
          {showAdvanced && advanced.map(field)}
          {unknownKeys.length > 0 && (
            <div className="banner banner-warning">
              Config keys the node type does not declare: {unknownKeys.join(', ')}.{' '}
              {!readOnly && (
                <button className="link-button" onClick={() => dispatch(unknownKeys.map((key) => ({ type: 'setConfig' as const, nodeId: node.id, key, value: undefined })))}>
                  Remove them
                </button>
              )}
            </div>
          )}
          {!isTrigger && spec?.kind !== 'trigger' && <ErrorHandlingSection node={node} readOnly={readOnly} />}
        </div>
      )}
    </aside>
  );
}

function GeneralSection({ node, isTrigger, canBeTrigger, readOnly }: { node: FlowNode; isTrigger: boolean; canBeTrigger: boolean; readOnly: boolean }) {
  const store = useFlowStoreApi();
  const doc = useFlowDocIgnoringLayout();
  const [idText, setIdText] = useState(node.id);
  useEffect(() => setIdText(node.id), [node.id]);
  const idProblem =
    idText === node.id ? null : !isValidNodeId(idText) ? 'Use letters, digits, _ and -, starting with a letter' : doc.nodes.some((n) => n.id === idText) ? 'Another node has this id' : null;
  const commitId = () => {
    if (idText !== node.id && !idProblem) store.getState().dispatch({ type: 'renameNode', from: node.id, to: idText });
    else setIdText(node.id);
  };
  const { dispatch } = store.getState();
  return (
    <>
      <label className="field">
        <span className="field-label">Name</span>
        <input
          value={node.name ?? ''}
          disabled={readOnly}
          placeholder="A label for the canvas"
          onChange={(e) => dispatch({ type: 'updateNode', nodeId: node.id, patch: { name: e.target.value || undefined } }, { coalesce: `${node.id}.name` })}
          onBlur={() => store.getState().seal()}
          data-testid="node-name-input"
        />
      </label>
      <label className="field">
        <span className="field-label">Node id</span>
        <input
          className="mono"
          value={idText}
          disabled={readOnly}
          onChange={(e) => setIdText(e.target.value)}
          onBlur={commitId}
          onKeyDown={(e) => e.key === 'Enter' && commitId()}
          data-testid="node-id-input"
        />
        <span className="field-help">{idProblem ?? 'Referenced as $steps.' + node.id + '; renaming updates references in this flow.'}</span>
      </label>
      {isTrigger && <div className="pill pill-info">This node is the flow’s trigger</div>}
      {!isTrigger && canBeTrigger && !readOnly && (
        <button className="button button-small" onClick={() => dispatch({ type: 'setTrigger', nodeId: node.id })}>
          Make this the flow’s trigger
        </button>
      )}
      {!isTrigger && (
        <label className="checkbox">
          <input type="checkbox" disabled={readOnly} checked={node.disabled === true} onChange={(e) => dispatch({ type: 'updateNode', nodeId: node.id, patch: { disabled: e.target.checked || undefined } })} />
          Disabled (skipped when the flow runs)
        </label>
      )}
    </>
  );
}

function ErrorHandlingSection({ node, readOnly }: { node: FlowNode; readOnly: boolean }) {
  const store = useFlowStoreApi();
  const { dispatch } = store.getState();
  const retry = node.retry;
  const setRetry = (patch: Partial<RetryPolicy> | null) => {
    const next: RetryPolicy | undefined = patch === null ? undefined : { attempts: 3, backoff: 'exponential', initialDelayMs: 1000, maxDelayMs: 3_600_000, ...retry, ...patch };
    dispatch({ type: 'updateNode', nodeId: node.id, patch: { retry: next } }, { coalesce: `${node.id}.retry` });
  };
  return (
    <>
      <h3 className="section-title">Error handling</h3>
      <label className="field">
        <span className="field-label">On a permanent failure</span>
        <select
          value={node.onError ?? 'fail'}
          disabled={readOnly}
          onChange={(e) => dispatch({ type: 'updateNode', nodeId: node.id, patch: { onError: e.target.value === 'fail' ? undefined : (e.target.value as 'route' | 'continue') } })}
          data-testid="node-on-error"
        >
          <option value="fail">Fail the run</option>
          <option value="route">Follow the error port (red)</option>
          <option value="continue">Continue with a null output</option>
        </select>
      </label>
      <label className="checkbox">
        <input type="checkbox" disabled={readOnly} checked={retry !== undefined} onChange={(e) => setRetry(e.target.checked ? {} : null)} data-testid="node-retry-toggle" />
        Retry transient failures
      </label>
      {retry && (
        <div className="field-grid">
          <label className="field">
            <span className="field-label">Attempts</span>
            <input type="number" min={1} max={50} value={retry.attempts} disabled={readOnly} onChange={(e) => setRetry({ attempts: Math.max(1, Math.min(50, Number(e.target.value) || 1)) })} />
          </label>
          <label className="field">
            <span className="field-label">Backoff</span>
            <select value={retry.backoff} disabled={readOnly} onChange={(e) => setRetry({ backoff: e.target.value === 'fixed' ? 'fixed' : 'exponential' })}>
              <option value="exponential">Exponential</option>
              <option value="fixed">Fixed</option>
            </select>
          </label>
          <label className="field">
            <span className="field-label">First delay (ms)</span>
            <input type="number" min={0} value={retry.initialDelayMs} disabled={readOnly} onChange={(e) => setRetry({ initialDelayMs: Math.max(0, Number(e.target.value) || 0) })} />
          </label>
          <label className="field">
            <span className="field-label">Max delay (ms)</span>
            <input type="number" min={0} value={retry.maxDelayMs} disabled={readOnly} onChange={(e) => setRetry({ maxDelayMs: Math.max(0, Number(e.target.value) || 0) })} />
          </label>
        </div>
      )}
    </>
  );
}
