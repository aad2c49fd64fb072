import { useState } from 'react';
import type { DragEvent } from 'react';
import type { PathCompletion } from '../editor/completions.ts';
import { CodeEditor } from '../editor/CodeEditor.tsx';
import { addRowFromSource, addTarget, clearRowSource, dropHint, mapSourceToTarget, removeRow, renameTarget, setRowExpression, SOURCE_MIME } from './mapping-rows.ts';
import type { MappingRow } from './mapping-rows.ts';

export interface TargetTableProps {
  rows: readonly MappingRow[];
  onChange(rows: MappingRow[]): void;
  /** Row index → problem (from converting the rows to JSONata). */
  rowErrors: Readonly<Record<number, string>>;
  completions: readonly PathCompletion[];
  functions: readonly string[];
  readOnly: boolean;
}

function acceptsSource(e: DragEvent): boolean {
  return e.dataTransfer.types.includes(SOURCE_MIME);
}

/** Target fields, one row each; source fields are dropped onto them. */
export function TargetTable({ rows, onChange, rowErrors, completions, functions, readOnly }: TargetTableProps) {
  const [over, setOver] = useState<string | null>(null);
  const [newTarget, setNewTarget] = useState('');

  const dropProps = (key: string, onSource: (source: string) => void) =>
    readOnly
      ? {}
      : {
          onDragOver: (e: DragEvent) => {
            if (!acceptsSource(e)) return;
            e.preventDefault();
            e.dataTransfer.dropEffect = 'copy';
            if (over !== key) setOver(key);
          },
          onDragLeave: () => setOver((o) => (o === key ? null : o)),
          onDrop: (e: DragEvent) => {
            const source = e.dataTransfer.getData(SOURCE_MIME);
            setOver(null);
            if (!source) return;
            e.preventDefault();
            onSource(source);
          },
        };

  return (
    <div className="target-table" data-testid="target-table">
      <div className="target-head">
        <span>Target field</span>
        <span>Value</span>
      </div>
      {rows.length === 0 && <div className="muted small target-empty">No target fields yet. Drag a source field onto “new target” below, or add a target by name.</div>}
      {rows.map((row, i) => (
        <div key={`${row.target}:${i}`} className={`target-row${over === row.target ? ' drop-over' : ''}${rowErrors[i] ? ' has-error' : ''}`} data-testid={`target-field-${row.target}`} {...dropProps(row.target, (source) => onChange(mapSourceToTarget(rows, source, row.target)))}>
          <TargetName target={row.target} readOnly={readOnly} onRename={(to) => onChange(renameTarget(rows, row.target, to))} />
          <div className="target-value">
            {row.expression !== undefined ? (
              <CodeEditor
                language="jsonata"
                value={row.expression}
                onChange={(text) => onChange(setRowExpression(rows, row.target, text))}
                completions={completions}
                functions={functions}
                readOnly={readOnly}
                lineNumbers={false}
                minHeight={30}
                testId={`target-expr-${row.target}`}
              />
            ) : row.source !== undefined ? (
              <span className="source-chip" title={dropHint(row.source, row.target) ?? row.source} data-testid={`target-source-${row.target}`}>
                {row.source}
                {dropHint(row.source, row.target) && <span className="chip-warn"> ⚠</span>}
              </span>
            ) : (
              <span className="drop-placeholder">drop a source field here (null until mapped)</span>
            )}
            {rowErrors[i] && <div className="field-issue field-issue-error">{rowErrors[i]}</div>}
          </div>
          {!readOnly && (
            <div className="target-actions">
              <button
                className={`fx-toggle${row.expression !== undefined ? ' on' : ''}`}
                title={row.expression !== undefined ? 'Back to a source field' : 'Compute with a JSONata expression'}
                onClick={() => onChange(row.expression !== undefined ? setRowExpression(rows, row.target, undefined) : setRowExpression(rows, row.target, row.source ? row.source.replace(/\[\]/g, '') : ''))}
                data-testid={`target-fx-${row.target}`}
              >
                fx
              </button>
              {row.source !== undefined && (
                <button className="icon-button" title="Clear the source" onClick={() => onChange(clearRowSource(rows, row.target))}>
                  ⌫
                </button>
              )}
              <button className="icon-button" title="Remove this target" onClick={() => onChange(removeRow(rows, row.target))} data-testid={`target-remove-${row.target}`}>
                ×
              </button>
            </div>
          )}
        </div>
      ))}
      {!readOnly && (
        <div className={`target-new${over === '__new' ? ' drop-over' : ''}`} data-testid="target-new" {...dropProps('__new', (source) => onChange(addRowFromSource(rows, source).rows))}>
          <span className="drop-placeholder">Drop a source field here to map it to a new target, or name one:</span>
          <input
            className="mono"
            placeholder="shipToAddress.city or lines[].itemNumber"
            value={newTarget}
            onChange={(e) => setNewTarget(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && newTarget.trim()) {
                onChange(addTarget(rows, newTarget));
                setNewTarget('');
              }
            }}
            data-testid="target-new-name"
          />
          <button
            className="button button-small"
            disabled={!newTarget.trim()}
            onClick={() => {
              onChange(addTarget(rows, newTarget));
              setNewTarget('');
            }}
            data-testid="target-add"
          >
            Add target
          </button>
        </div>
      )}
    </div>
  );
}

function TargetName({ target, readOnly, onRename }: { target: string; readOnly: boolean; onRename(to: string): void }) {
  const [text, setText] = useState(target);
  const [editing, setEditing] = useState(false);
  if (!editing || readOnly)
    return (
      <button className="target-name mono" onClick={() => !readOnly && (setText(target), setEditing(true))} title={readOnly ? target : 'Rename'}>
        {target}
      </button>
    );
  const commit = () => {
    setEditing(false);
    if (text.trim() && text !== target) onRename(text);
  };
  return <input className="target-name-input mono" autoFocus value={text} onChange={(e) => setText(e.target.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()} />;
}
