import { useState } from 'react';

/** A collapsible JSON tree; the first levels start open. */
export function JsonViewer({ value, testId, openDepth = 2 }: { value: unknown; testId?: string; openDepth?: number }) {
  if (value === undefined) return <div className="json-viewer json-empty" data-testid={testId}>—</div>;
  return (
    <div className="json-viewer" data-testid={testId}>
      <JsonNode value={value} depth={0} openDepth={openDepth} />
    </div>
  );
}

function JsonNode({ name, value, depth, openDepth }: { name?: string; value: unknown; depth: number; openDepth: number }) {
  const [open, setOpen] = useState(depth < openDepth);
  const label = name !== undefined ? <span className="json-key">{name}: </span> : null;
  if (value === null || typeof value !== 'object') {
    return (
      <div className="json-row">
        {label}
        <Primitive value={value} />
      </div>
    );
  }
  const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  const [openB, closeB] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) {
    return (
      <div className="json-row">
        {label}
        <span className="json-punct">{openB + closeB}</span>
      </div>
    );
  }
  return (
    <div className="json-branch">
      <div className="json-row json-toggle" onClick={() => setOpen(!open)}>
        <span className="json-caret">{open ? '▾' : '▸'}</span>
        {label}
        <span className="json-punct">{openB}</span>
        {!open && <span className="json-summary"> {entries.length} {Array.isArray(value) ? 'items' : 'keys'} {closeB}</span>}
      </div>
      {open && (
        <div className="json-children">
          {entries.map(([k, v]) => (
            <JsonNode key={k} name={k} value={v} depth={depth + 1} openDepth={openDepth} />
          ))}
          <div className="json-punct">{closeB}</div>
        </div>
      )}
    </div>
  );
}

function Primitive({ value }: { value: unknown }) {
  if (typeof value === 'string') return <span className="json-string">{JSON.stringify(value)}</span>;
  if (typeof value === 'number') return <span className="json-number">{value}</span>;
  if (typeof value === 'boolean') return <span className="json-boolean">{String(value)}</span>;
  if (value === null) return <span className="json-null">null</span>;
  return <span>{String(value)}</span>;
}
