import { useEffect, useMemo, useState } from 'react';
import { isExpressionValue } from '@tributary/flow';
import type { FlowIssue, PropSpec } from '@tributary/flow';
import type { PathCompletion } from '../editor/completions.ts';
import { CodeEditor, offsetOf } from '../editor/CodeEditor.tsx';
import type { CodeProblem } from '../editor/CodeEditor.tsx';
import { href } from '../router.ts';
import { useConnections } from '../state/useConnections.ts';
import { fromExpression, toExpression } from './expression-switch.ts';

export interface PropFieldProps {
  nodeId: string;
  name: string;
  spec: PropSpec;
  value: unknown;
  onChange(value: unknown): void;
  onBlur(): void;
  issues: readonly FlowIssue[];
  completions: readonly PathCompletion[];
  functions: readonly string[];
  readOnly: boolean;
  onOpenMapping(): void;
}

const NO_EXPRESSION = new Set(['jsonata', 'code', 'mapping', 'connection']);

/** Issues of an expression as editor underlines. */
function problemsOf(issues: readonly FlowIssue[], text: string): CodeProblem[] {
  return issues
    .filter((i) => i.offset !== undefined || i.line !== undefined)
    .map((i) => ({ from: i.offset ?? offsetOf(text, i.line ?? 1, i.column ?? 1), message: i.message, severity: i.severity ?? 'error' }));
}

export function PropField(props: PropFieldProps) {
  const { spec, value, readOnly, nodeId, name } = props;
  const canExpress = spec.allowExpression !== false && !NO_EXPRESSION.has(spec.type);
  const isExpr = isExpressionValue(value);
  const testId = `field-${nodeId}-${name}`;
  return (
    <div className={`field prop-field${props.issues.some((i) => (i.severity ?? 'error') === 'error') ? ' has-error' : ''}`} data-testid={testId}>
      <div className="field-label-row">
        <label className="field-label">
          {spec.label}
          {spec.required && <span className="required">*</span>}
        </label>
        {canExpress && !readOnly && (
          <button
            className={`fx-toggle${isExpr ? ' on' : ''}`}
            title={isExpr ? 'Switch back to a fixed value' : 'Compute this value with a JSONata expression'}
            onClick={() => props.onChange(isExpr ? fromExpression(value.$expr, spec) : toExpression(value))}
            data-testid={`${testId}-fx`}
          >
            fx
          </button>
        )}
      </div>
      {isExpr ? (
        <CodeEditor
          language="jsonata"
          value={value.$expr}
          onChange={(text) => props.onChange({ $expr: text })}
          completions={props.completions}
          functions={props.functions}
          problems={problemsOf(props.issues, value.$expr)}
          readOnly={readOnly}
          lineNumbers={false}
          minHeight={34}
          placeholder="$trigger.…"
          testId={`${testId}-expr`}
        />
      ) : (
        <LiteralInput {...props} testId={`${testId}-input`} />
      )}
      {spec.description && <div className="field-help">{spec.description}</div>}
      {props.issues.map((i, k) => (
        <div key={k} className={`field-issue field-issue-${i.severity ?? 'error'}`}>
          {i.message}
        </div>
      ))}
    </div>
  );
}

function LiteralInput(props: PropFieldProps & { testId: string }) {
  const { spec, value, onChange, onBlur, readOnly, testId } = props;
  const str = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  switch (spec.type) {
    case 'string':
      return <input type="text" value={str} placeholder={spec.placeholder} disabled={readOnly} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} onBlur={onBlur} data-testid={testId} />;
    case 'text':
      return <textarea rows={3} value={str} placeholder={spec.placeholder} disabled={readOnly} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} onBlur={onBlur} data-testid={testId} />;
    case 'number':
    case 'integer':
      return (
        <input
          type="number"
          value={typeof value === 'number' ? value : ''}
          step={spec.type === 'integer' ? 1 : 'any'}
          min={spec.min}
          max={spec.max}
          placeholder={spec.placeholder ?? (spec.default !== undefined ? String(spec.default) : undefined)}
          disabled={readOnly}
          onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
          onBlur={onBlur}
          data-testid={testId}
        />
      );
    case 'boolean':
      return (
        <label className="checkbox">
          <input type="checkbox" checked={value === true} disabled={readOnly} onChange={(e) => onChange(e.target.checked)} data-testid={testId} /> {value === true ? 'Yes' : 'No'}
        </label>
      );
    case 'select':
      return (
        <select value={spec.options?.findIndex((o) => o.value === value) ?? -1} disabled={readOnly} onChange={(e) => onChange(spec.options?.[Number(e.target.value)]?.value)} data-testid={testId}>
          <option value={-1}>— choose —</option>
          {spec.options?.map((o, i) => (
            <option key={i} value={i}>
              {o.label}
            </option>
          ))}
        </select>
      );
    case 'multiselect': {
      const chosen = Array.isArray(value) ? value : [];
      return (
        <div className="multiselect" data-testid={testId}>
          {spec.options?.map((o, i) => (
            <label key={i} className="checkbox">
              <input
                type="checkbox"
                disabled={readOnly}
                checked={chosen.includes(o.value)}
                onChange={(e) => onChange(e.target.checked ? [...chosen, o.value] : chosen.filter((c) => c !== o.value))}
              />
              {o.label}
            </label>
          ))}
        </div>
      );
    }
    case 'connection':
      return <ConnectionPicker {...props} />;
    case 'jsonata':
      return (
        <>
          <CodeEditor language="jsonata" value={str} onChange={(t) => onChange(t)} completions={props.completions} functions={props.functions} problems={problemsOf(props.issues, str)} readOnly={readOnly} minHeight={80} testId={testId} />
          <button className="button button-small mapper-open" onClick={props.onOpenMapping} data-testid={`${testId}-open-mapping`}>
            {readOnly ? 'View in the mapper' : 'Open the mapper (drag fields, live preview)'}
          </button>
        </>
      );
    case 'code':
      return <CodeEditor language="javascript" value={str} onChange={(t) => onChange(t)} problems={problemsOf(props.issues, str)} readOnly={readOnly} minHeight={160} testId={testId} />;
    case 'mapping':
      return (
        <button className="button button-block" onClick={props.onOpenMapping} data-testid={`${testId}-open-mapping`}>
          {readOnly ? 'View mapping' : 'Open mapping editor'}
        </button>
      );
    case 'cron':
      return <CronInput {...props} />;
    case 'timezone':
      return <TimezoneSelect {...props} />;
    default:
      return <JsonInput {...props} />;
  }
}

function ConnectionPicker({ spec, value, onChange, readOnly, testId }: PropFieldProps & { testId: string }) {
  const { items, status, load } = useConnections();
  useEffect(() => {
    load().catch(() => undefined);
  }, [load]);
  const fitting = items.filter((c) => !spec.connector || c.connector === spec.connector);
  const missing = typeof value === 'string' && value !== '' && !fitting.some((c) => c.name === value);
  return (
    <>
      <select value={typeof value === 'string' ? value : ''} disabled={readOnly} onChange={(e) => onChange(e.target.value || undefined)} data-testid={testId}>
        <option value="">{status === 'loading' ? 'Loading…' : '— choose a connection —'}</option>
        {missing && <option value={String(value)}>{String(value)} (not found)</option>}
        {/* Flows refer to a connection by its name (stable across environments), not its id. */}
        {fitting.map((c) => (
          <option key={c.id} value={c.name}>
            {c.name}
          </option>
        ))}
      </select>
      {status === 'ready' && fitting.length === 0 && (
        <div className="field-help">
          No {spec.connector ?? ''} connection yet. <a href={href('/connections')}>Add one</a>.
        </div>
      )}
    </>
  );
}

const CRON_FIELD = /^[\d*/,?LW#-]+$|^[A-Za-z]{3}(-[A-Za-z]{3})?$/;

/** Light client-side check of a cron line; the server's scheduler has the final word. */
export function cronProblem(text: string): string | null {
  const t = text.trim();
  if (!t) return null;
  if (t.startsWith('@')) return ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly'].includes(t) ? null : `unknown shortcut ${t}`;
  const parts = t.split(/\s+/);
  if (parts.length < 5 || parts.length > 6) return `a cron line has 5 fields (minute hour day month weekday) or 6 with seconds; this one has ${parts.length}`;
  const bad = parts.find((p) => !CRON_FIELD.test(p));
  return bad ? `“${bad}” is not a valid cron field` : null;
}

function CronInput({ value, onChange, onBlur, readOnly, testId, spec }: PropFieldProps & { testId: string }) {
  const str = typeof value === 'string' ? value : '';
  const problem = cronProblem(str);
  return (
    <>
      <input className="mono" value={str} placeholder={spec.placeholder ?? '0 2 * * *'} disabled={readOnly} onChange={(e) => onChange(e.target.value || undefined)} onBlur={onBlur} data-testid={testId} />
      {problem && <div className="field-issue field-issue-warning">{problem}</div>}
    </>
  );
}

function TimezoneSelect({ value, onChange, readOnly, testId }: PropFieldProps & { testId: string }) {
  const zones = useMemo(() => {
    try {
      return Intl.supportedValuesOf('timeZone');
    } catch {
      return ['UTC'];
    }
  }, []);
  return (
    <select value={typeof value === 'string' ? value : ''} disabled={readOnly} onChange={(e) => onChange(e.target.value || undefined)} data-testid={testId}>
      <option value="">— time zone —</option>
      {!zones.includes('UTC') && <option value="UTC">UTC</option>}
      {zones.map((z) => (
        <option key={z} value={z}>
          {z}
        </option>
      ))}
    </select>
  );
}

function JsonInput({ value, onChange, readOnly, testId }: PropFieldProps & { testId: string }) {
  const [text, setText] = useState(() => (value === undefined ? '' : JSON.stringify(value, null, 2)));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    // Follow outside changes (undo, paste) unless they are what the text already says.
    let same = false;
    try {
      same = text.trim() !== '' && JSON.stringify(JSON.parse(text)) === JSON.stringify(value);
    } catch {
      same = false;
    }
    if (!same && !(value === undefined && text.trim() === '')) setText(value === undefined ? '' : JSON.stringify(value, null, 2));
    // Only outside value changes should rewrite the text.
  }, [value]);
  return (
    <>
      <CodeEditor
        language="json"
        value={text}
        readOnly={readOnly}
        minHeight={70}
        lineNumbers={false}
        testId={testId}
        onChange={(t) => {
          setText(t);
          if (t.trim() === '') {
            setError(null);
            onChange(undefined);
            return;
          }
          try {
            const parsed: unknown = JSON.parse(t);
            setError(null);
            onChange(parsed);
          } catch (e) {
            setError(e instanceof Error ? e.message : String(e));
          }
        }}
      />
      {error && <div className="field-issue field-issue-error">Not valid JSON yet: {error}</div>}
    </>
  );
}
