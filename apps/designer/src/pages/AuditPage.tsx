import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import type { AuditEntry } from '../api/types.ts';
import { EmptyState, Spinner } from '../components/EmptyState.tsx';
import { actorLabel, type ActorLabel } from '../lib/actor-label.ts';
import { formatTime } from '../lib/format.ts';
import { toastError } from '../state/useToasts.ts';

function who(e: AuditEntry): ActorLabel {
  const label = actorLabel({ id: e.actor, name: e.actorName, email: e.actorEmail });
  return label.text ? label : { text: '—' };
}

function ActorCell({ label }: { label: ActorLabel }) {
  return (
    <td title={label.title} data-testid="audit-actor">
      {label.text}
    </td>
  );
}

function compact(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Who did what: publishes, enables, rollbacks, credential and user changes. */
export function AuditPage() {
  const [items, setItems] = useState<AuditEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [filter, setFilter] = useState('');

  useEffect(() => {
    api.audit({ limit: 100 }).then(
      (page) => {
        setItems(page.items);
        setCursor(page.nextCursor);
      },
      (err: unknown) => {
        setItems([]);
        toastError(err);
      },
    );
  }, []);

  async function more() {
    if (!cursor) return;
    try {
      const page = await api.audit({ cursor, limit: 100 });
      setItems([...(items ?? []), ...page.items]);
      setCursor(page.nextCursor);
    } catch (err) {
      toastError(err);
    }
  }

  // The filter also finds the e-mail or id the tooltip holds.
  const whoText = ({ text, title }: ActorLabel) => `${text} ${title ?? ''}`;
  const shown = (items ?? []).filter((e) => !filter || `${e.action} ${whoText(who(e))} ${compact(e.target ?? e.targetId)} ${compact(e.details)}`.toLowerCase().includes(filter.toLowerCase()));
  return (
    <div className="page">
      <header className="page-header">
        <h1>Audit log</h1>
        <input className="search" placeholder="Filter" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </header>
      {items === null ? (
        <Spinner />
      ) : shown.length === 0 ? (
        <EmptyState title="Nothing recorded" />
      ) : (
        <table className="table" data-testid="audit-table">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Action</th>
              <th>Target</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e, i) => (
              <tr key={e.id ?? i}>
                <td className="muted nowrap">{formatTime(e.at ?? e.createdAt)}</td>
                <ActorCell label={who(e)} />
                <td className="mono">{e.action}</td>
                <td className="mono small">
                  {e.targetType ? `${e.targetType} ` : ''}
                  {compact(e.target ?? e.targetId)}
                </td>
                <td className="mono small details-cell">{compact(e.details)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && (
        <div className="load-more">
          <button className="button" onClick={() => void more()}>
            Load more
          </button>
        </div>
      )}
    </div>
  );
}
