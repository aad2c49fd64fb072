import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import type { RunFilters } from '../api/client.ts';
import type { FlowSummary, RunSummary } from '../api/types.ts';
import { EmptyState, Spinner, StatusPill } from '../components/EmptyState.tsx';
import { errorText, formatDuration, formatTime } from '../lib/format.ts';
import { runWaitingText } from '../lib/step-notes.ts';
import { href, navigate } from '../router.ts';
import { toastError } from '../state/useToasts.ts';

const STATUSES = ['', 'queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled', 'resolved'];

/** `datetime-local` text ↔ ISO instant. */
function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function toLocal(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Run history with filters kept in the URL (`#/runs?flowId=…&status=failed`), so a filtered view can be shared. */
export function RunsPage({ query }: { query: URLSearchParams }) {
  const flowId = query.get('flowId') ?? '';
  const status = query.get('status') ?? '';
  const from = query.get('from');
  const to = query.get('to');
  const [flows, setFlows] = useState<FlowSummary[]>([]);
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const filters: RunFilters = { limit: 50 };
  if (flowId) filters.flowId = flowId;
  if (status) filters.status = status;
  if (from) filters.from = from;
  if (to) filters.to = to;
  const filterKey = JSON.stringify(filters);

  useEffect(() => {
    api.flows.list().then(setFlows, () => setFlows([]));
  }, []);

  useEffect(() => {
    setRuns(null);
    const f = JSON.parse(filterKey) as RunFilters;
    api.runs.list(f).then(
      (page) => {
        setRuns(page.items);
        setCursor(page.nextCursor);
      },
      (err: unknown) => {
        setRuns([]);
        toastError(err);
      },
    );
  }, [filterKey]);

  function setFilter(key: string, value: string | undefined) {
    const next = new URLSearchParams(query);
    if (value) next.set(key, value);
    else next.delete(key);
    const qs = next.toString();
    navigate(`/runs${qs ? `?${qs}` : ''}`, { replace: true });
  }

  async function more() {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await api.runs.list({ ...filters, cursor });
      setRuns([...(runs ?? []), ...page.items]);
      setCursor(page.nextCursor);
    } catch (err) {
      toastError(err);
    } finally {
      setLoadingMore(false);
    }
  }

  const flowName = (id: string | undefined) => flows.find((f) => f.id === id)?.name ?? id ?? '—';
  return (
    <div className="page">
      <header className="page-header">
        <h1>Runs</h1>
      </header>
      <div className="filters" data-testid="run-filters">
        <label>
          Flow
          <select value={flowId} onChange={(e) => setFilter('flowId', e.target.value)} data-testid="filter-flow">
            <option value="">All flows</option>
            {flows.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => setFilter('status', e.target.value)} data-testid="filter-status">
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s || 'Any status'}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="datetime-local" value={toLocal(from)} onChange={(e) => setFilter('from', toIso(e.target.value))} data-testid="filter-from" />
        </label>
        <label>
          To
          <input type="datetime-local" value={toLocal(to)} onChange={(e) => setFilter('to', toIso(e.target.value))} data-testid="filter-to" />
        </label>
        {(flowId || status || from || to) && (
          <button className="button button-small button-ghost" onClick={() => navigate('/runs', { replace: true })}>
            Clear filters
          </button>
        )}
      </div>
      {runs === null ? (
        <Spinner />
      ) : runs.length === 0 ? (
        <EmptyState title="No runs match" testId="runs-empty">
          Runs appear here when a trigger fires or you test a flow.
        </EmptyState>
      ) : (
        <table className="table table-clickable" data-testid="runs-table">
          <thead>
            <tr>
              <th>Status</th>
              <th>Flow</th>
              <th>Version</th>
              <th>Started</th>
              <th>Duration</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id} onClick={() => navigate(`/runs/${encodeURIComponent(r.id)}`)} data-testid={`run-row-${r.id}`}>
                <td>
                  <StatusPill status={r.status} />
                </td>
                <td>
                  <a href={href(`/runs/${encodeURIComponent(r.id)}`)} onClick={(e) => e.stopPropagation()}>
                    {r.flowName ?? flowName(r.flowId)}
                  </a>
                  <div className="muted mono small">{r.id}</div>
                </td>
                <td>{r.version !== undefined ? `v${r.version}` : <span className="muted">test</span>}</td>
                <td className="muted">{formatTime(r.startedAt ?? r.createdAt)}</td>
                <td>{formatDuration(r.durationMs ?? (r.startedAt && r.finishedAt ? Date.parse(r.finishedAt) - Date.parse(r.startedAt) : undefined))}</td>
                {r.status === 'waiting' ? <td className="muted">{runWaitingText(r)}</td> : <td className="error-cell">{errorText(r.error)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && (
        <div className="load-more">
          <button className="button" disabled={loadingMore} onClick={() => void more()} data-testid="runs-more">
            {loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </div>
  );
}
