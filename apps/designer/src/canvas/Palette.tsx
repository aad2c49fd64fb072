import { useMemo, useState } from 'react';
import type { DragEvent } from 'react';
import type { NodeTypeSpec } from '@tributary/flow';
import { NodeIcon } from './StepNode.tsx';

/** The drag payload type: only the node type travels, the drop handler looks up the rest. */
export const PALETTE_MIME = 'application/x-tributary-node-type';

export interface PaletteGroup {
  title: string;
  items: NodeTypeSpec[];
}

/** Triggers first, then logic, then connector actions grouped by system; filtered by a search text. */
export function paletteGroups(list: readonly NodeTypeSpec[], query: string): PaletteGroup[] {
  const q = query.trim().toLowerCase();
  const match = (t: NodeTypeSpec) => !q || `${t.label} ${t.type} ${t.group} ${t.description}`.toLowerCase().includes(q);
  const byLabel = (a: NodeTypeSpec, b: NodeTypeSpec) => a.label.localeCompare(b.label);
  const shown = list.filter(match);
  const groups: PaletteGroup[] = [];
  const triggers = shown.filter((t) => t.kind === 'trigger').sort(byLabel);
  if (triggers.length) groups.push({ title: 'Triggers', items: triggers });
  const logic = shown.filter((t) => t.kind === 'logic').sort(byLabel);
  if (logic.length) groups.push({ title: 'Logic', items: logic });
  const systems = new Map<string, NodeTypeSpec[]>();
  for (const t of shown.filter((x) => x.kind === 'action')) systems.set(t.group, [...(systems.get(t.group) ?? []), t]);
  for (const [title, items] of [...systems].sort(([a], [b]) => a.localeCompare(b))) groups.push({ title, items: items.sort(byLabel) });
  return groups;
}

export function Palette({ catalog, readOnly, onAdd }: { catalog: readonly NodeTypeSpec[]; readOnly: boolean; onAdd(type: string): void }) {
  const [query, setQuery] = useState('');
  const [collapsed, setCollapsed] = useState<Record<string, boolean>>({});
  const groups = useMemo(() => paletteGroups(catalog, query), [catalog, query]);

  function onDragStart(e: DragEvent, type: string) {
    e.dataTransfer.setData(PALETTE_MIME, type);
    e.dataTransfer.setData('text/plain', type);
    e.dataTransfer.effectAllowed = 'copy';
  }

  return (
    <aside className={`palette${readOnly ? ' read-only' : ''}`} data-testid="palette">
      <input className="search palette-search" placeholder="Search nodes" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="palette-search" />
      {readOnly && <div className="palette-note">Read-only: your role can view this flow but not change it.</div>}
      <div className="palette-groups">
        {groups.length === 0 && <div className="muted palette-empty">No node matches “{query}”.</div>}
        {groups.map((g) => (
          <section key={g.title} className="palette-group" data-testid={`palette-group-${g.title}`}>
            <button className="palette-group-title" onClick={() => setCollapsed({ ...collapsed, [g.title]: !collapsed[g.title] })}>
              <span>{collapsed[g.title] ? '▸' : '▾'}</span> {g.title} <span className="muted">{g.items.length}</span>
            </button>
            {!collapsed[g.title] &&
              g.items.map((t) => (
                <div
                  key={t.type}
                  className="palette-item"
                  draggable={!readOnly}
                  onDragStart={(e) => onDragStart(e, t.type)}
                  onDoubleClick={() => !readOnly && onAdd(t.type)}
                  onKeyDown={(e) => e.key === 'Enter' && !readOnly && onAdd(t.type)}
                  tabIndex={0}
                  title={`${t.description || t.label}\n${t.type}${readOnly ? '' : '\nDrag onto the canvas (or double-click) to add'}`}
                  data-testid={`palette-item-${t.type}`}
                >
                  <NodeIcon icon={t.icon ?? null} group={t.group} kind={t.kind} />
                  <div className="palette-item-text">
                    <div className="palette-item-label">{t.label}</div>
                    <div className="palette-item-type">{t.type}</div>
                  </div>
                </div>
              ))}
          </section>
        ))}
      </div>
    </aside>
  );
}
