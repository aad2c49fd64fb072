import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import type { AuditEntry } from '../api/types.ts';
import { EmptyState, Spinner } from '../components/EmptyState.tsx';
import { formatTime } from '../lib/format.ts';
import { toastError } from '../state/useToasts.ts';

function who(e: AuditEntry): string {
  if (e.actorEmail) return e.actorEmail;
  const a = e.actor ?? e.userId;
  if (typeof a === 'string') return a;
  if (a && typeof a === 'object') {
    const r = a as Record<string, unknown>;
    const v = r['email'] ?? r['name'] ?? r['id'];
    if (typeof v === 'string') return v;
  }
  return '—';
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

  const shown = (items ?? []).filter((e) => !filter || `${e.action} ${who(e)} ${compact(e.target ?? e.targetId)} ${compact(e.details)}`.toLowerCase().includes(filter.toLowerCase()));
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
                <td>{who(e)}</td>
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
