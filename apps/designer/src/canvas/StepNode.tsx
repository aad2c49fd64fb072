import { memo, useEffect, useRef } from 'react';
import { Handle, Position, useUpdateNodeInternals } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import { ERROR_PORT } from '@tributary/flow';
import { formatDuration } from '../lib/format.ts';
import { INPUT_HANDLE } from './adapter.ts';
import type { StepCanvasNode } from './adapter.ts';

/** A consistent hue per palette group, so all Shopify nodes share a colour. */
export function groupHue(group: string): number {
  let h = 0;
  for (let i = 0; i < group.length; i++) h = (h * 31 + group.charCodeAt(i)) % 360;
  return h;
}

export function NodeIcon({ icon, group, kind }: { icon: string | null; group: string; kind: string }) {
  if (icon && /^(https?:|data:|\/)/.test(icon)) return <img className="node-icon" src={icon} alt="" />;
  const text = icon && icon.length <= 2 ? icon : (group.match(/[A-Z0-9]/g)?.join('') || group.slice(0, 2)).slice(0, 2).toUpperCase();
  return (
    <span className={`node-icon node-icon-${kind}`} style={{ ['--hue' as string]: String(groupHue(group)) }}>
      {text}
    </span>
  );
}

function StepNodeView({ data, selected }: NodeProps<StepCanvasNode>) {
  const updateNodeInternals = useUpdateNodeInternals();
  const portsKey = `${data.outputs.join('|')}:${data.hasErrorPort}`;
  const measuredPorts = useRef(portsKey);
  // Branch cases add and remove output handles; React Flow must re-measure them. Not on mount:
  // React Flow measures new nodes itself, and an early single-node update would make the initial
  // fitView frame only that node.
  useEffect(() => {
    if (measuredPorts.current === portsKey) return;
    measuredPorts.current = portsKey;
    updateNodeInternals(data.nodeId);
  }, [data.nodeId, portsKey, updateNodeInternals]);

  const errors = data.issues.filter((i) => i.severity === 'error');
  const warnings = data.issues.filter((i) => i.severity === 'warning');
  const multiOut = data.outputs.length > 1;
  const classes = ['step-node', `kind-${data.kind}`];
  if (selected) classes.push('selected');
  if (data.disabled) classes.push('disabled');
  if (errors.length > 0) classes.push('has-errors');
  if (data.run) classes.push(`run-${data.run.status}`);

  return (
    <div className={classes.join(' ')} data-testid={`node-${data.nodeId}`} data-node-type={data.type} data-run-status={data.run?.status ?? ''}>
      {data.hasInput && <Handle type="target" position={Position.Left} id={INPUT_HANDLE} className="port port-in" data-testid={`handle-${data.nodeId}-in`} />}
      <div className="step-node-header">
        <NodeIcon icon={data.icon} group={data.group} kind={data.kind} />
        <div className="step-node-titles">
          <div className="step-node-label" title={data.label}>
            {data.label}
          </div>
          <div className="step-node-type" title={data.type}>
            {data.isTrigger ? 'Trigger · ' : ''}
            {data.typeLabel}
          </div>
        </div>
        {(errors.length > 0 || warnings.length > 0) && (
          <span
            className={`issue-badge ${errors.length > 0 ? 'issue-error' : 'issue-warning'}`}
            title={data.issues.map((i) => `${i.severity === 'error' ? '✖' : '⚠'} ${i.message}`).join('\n')}
            data-testid={`node-issues-${data.nodeId}`}
          >
            {errors.length > 0 ? errors.length : warnings.length}
          </span>
        )}
      </div>
      <div className="step-node-footer">
        <span className="step-node-id">{data.nodeId}</span>
        {data.disabled && <span className="pill pill-muted">disabled</span>}
        {data.run && (
          <span className={`run-badge run-badge-${data.run.status}`} data-testid={`node-run-${data.nodeId}`}>
            {data.run.status}
            {data.run.durationMs !== undefined && ` · ${formatDuration(data.run.durationMs)}`}
          </span>
        )}
      </div>
      {data.outputs.map((port, i) => (
        <Handle
          key={port}
          type="source"
          position={Position.Right}
          id={port}
          className="port port-out"
          style={{ top: `${((i + 1) / (data.outputs.length + 1)) * 100}%` }}
          data-testid={`handle-${data.nodeId}-${port}`}
          title={`output “${port}”`}
        >
          {multiOut && <span className="port-label">{port}</span>}
        </Handle>
      ))}
      {data.hasErrorPort && (
        <Handle
          type="source"
          position={Position.Bottom}
          id={ERROR_PORT}
          className={`port port-error${data.errorRouted ? ' routed' : ''}`}
          data-testid={`handle-${data.nodeId}-error`}
          title={data.errorRouted ? 'error port: failures go here' : 'error port: connect it to route failures (sets “on error: route”)'}
        />
      )}
    </div>
  );
}

export const StepNode = memo(StepNodeView);
