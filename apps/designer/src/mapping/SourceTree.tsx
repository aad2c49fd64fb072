import { useState } from 'react';
import type { DragEvent } from 'react';
import { jsonataPath } from '../lib/sample-fields.ts';
import type { FieldNode } from '../lib/sample-fields.ts';
import { SOURCE_MIME } from './mapping-rows.ts';

interface TreeProps {
  /** Adds a field as a new target row; null when rows cannot be edited (raw mode, read-only). */
  onAdd: ((path: string) => void) | null;
  readOnly: boolean;
}

/**
 * The sample's fields; drag one onto a target (or press + to add it as a new target). Dropped into
 * the JSONata editor instead, a field inserts its JSONata path (text/plain).
 */
export function SourceTree({ fields, onAdd, readOnly }: TreeProps & { fields: readonly FieldNode[] }) {
  if (fields.length === 0) return <div className="muted small source-empty">The sample has no fields. Paste a JSON object or pick a run.</div>;
  return (
    <ul className="source-tree" data-testid="source-tree">
      {fields.map((f) => (
        <SourceField key={f.path} field={f} depth={0} onAdd={onAdd} readOnly={readOnly} />
      ))}
    </ul>
  );
}

function typeLabel(f: FieldNode): string {
  return f.type === 'array' ? `${f.itemType ?? 'any'}[]` : f.type;
}

function SourceField({ field, depth, onAdd, readOnly }: TreeProps & { field: FieldNode; depth: number }) {
  const [open, setOpen] = useState(depth < 2);
  const hasChildren = field.children.length > 0;
  // An array of objects is dragged as a whole with `[]`, so dropping it on an array target iterates it.
  const dragPath = field.type === 'array' ? `${field.path}[]` : field.path;
  const onDragStart = (e: DragEvent) => {
    e.dataTransfer.setData(SOURCE_MIME, dragPath);
    e.dataTransfer.setData('text/plain', jsonataPath(dragPath));
    e.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <li>
      <div className={`source-field type-${field.type}`} style={{ paddingLeft: `${depth * 14 + 4}px` }} draggable={!readOnly} onDragStart={onDragStart} title={`${dragPath}${field.example !== undefined ? `\ne.g. ${JSON.stringify(field.example)}` : ''}`} data-testid={`source-field-${dragPath}`}>
        <button className="caret" onClick={() => setOpen(!open)} style={{ visibility: hasChildren ? 'visible' : 'hidden' }} aria-label={open ? 'Collapse' : 'Expand'}>
          {open ? '▾' : '▸'}
        </button>
        <span className="source-name">{field.name}</span>
        <span className="source-type">{typeLabel(field)}</span>
        {field.example !== undefined && <span className="source-example">{JSON.stringify(field.example).slice(0, 40)}</span>}
        {onAdd && (
          <button className="source-add" title="Add as a new target" onClick={() => onAdd(dragPath)} data-testid={`source-add-${dragPath}`}>
            +
          </button>
        )}
      </div>
      {open && hasChildren && (
        <ul>
          {field.children.map((c) => (
            <SourceField key={c.path} field={c} depth={depth + 1} onAdd={onAdd} readOnly={readOnly} />
          ))}
        </ul>
      )}
    </li>
  );
}
