import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../api/client.ts';
import type { Failure } from '../api/types.ts';
import { EmptyState, Spinner } from '../components/EmptyState.tsx';
import { ConfirmDialog } from '../components/Modal.tsx';
import { errorText, formatTime } from '../lib/format.ts';
import { href } from '../router.ts';
import { usePermissions } from '../state/useSession.ts';
import { toastError, toastSuccess } from '../state/useToasts.ts';

const runIdOf = (f: Failure) => f.runId ?? f.id;

/** Failed runs waiting for someone: select some, then retry or resolve them together. */
export function FailuresPage() {
  const perms = usePermissions();
  const [items, setItems] = useState<Failure[] | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [action, setAction] = useState<'retry' | 'resolve' | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api.failures.list().then(
      (list) => {
        setItems(list);
        setSelected((s) => new Set([...s].filter((id) => list.some((f) => runIdOf(f) === id))));
      },
      (err: unknown) => {
        setItems([]);
        toastError(err);
      },
    );
  }, []);
  useEffect(load, [load]);

  const canAct = perms.resolveFailures || perms.replayRuns;
  const all = items ?? [];
  const allSelected = all.length > 0 && all.every((f) => selected.has(runIdOf(f)));
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  async function apply() {
    if (!action) return;
    setBusy(true);
    const runIds = [...selected];
    try {
      const { results } = action === 'retry' ? await api.failures.retry(runIds) : await api.failures.resolve(runIds);
      const failed = results.filter((r) => !r.ok);
      const done = results.length - failed.length;
      if (done > 0) toastSuccess(`${action === 'retry' ? 'Retrying' : 'Resolved'} ${done} run${done === 1 ? '' : 's'}`);
      for (const f of failed) toastError(new ApiError({ code: f.error?.code ?? 'FAILED', message: `${f.runId}: ${f.error?.message ?? 'not done'}`, status: 200 }));
      setSelected(new Set());
      setAction(null);
      load();
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page">
      <header className="page-header">
        <h1>Failures</h1>
        {canAct && (
          <div className="page-actions">
            <span className="muted">{selected.size} selected</span>
            {perms.replayRuns && (
              <button className="button" disabled={selected.size === 0} onClick={() => setAction('retry')} data-testid="failures-retry">
                Retry
              </button>
            )}
            <button className="button" disabled={selected.size === 0} onClick={() => setAction('resolve')} data-testid="failures-resolve">
              Mark resolved
            </button>
          </div>
        )}
      </header>
      {items === null ? (
        <Spinner />
      ) : all.length === 0 ? (
        <EmptyState title="No open failures" testId="failures-empty">
          Every failed run has been retried or resolved.
        </EmptyState>
      ) : (
        <table className="table" data-testid="failures-table">
          <thead>
            <tr>
              {canAct && (
                <th className="check-cell">
                  <input type="checkbox" checked={allSelected} aria-label="Select all" onChange={() => setSelected(allSelected ? new Set() : new Set(all.map(runIdOf)))} data-testid="failures-select-all" />
                </th>
              )}
              <th>Flow</th>
              <th>Failed step</th>
              <th>Error</th>
              <th>When</th>
            </tr>
          </thead>
          <tbody>
            {all.map((f) => {
              const id = runIdOf(f);
              return (
                <tr key={id} className={selected.has(id) ? 'selected' : ''} data-testid={`failure-row-${id}`}>
                  {canAct && (
                    <td className="check-cell">
                      <input type="checkbox" checked={selected.has(id)} onChange={() => toggle(id)} aria-label={`Select run ${id}`} data-testid={`failure-check-${id}`} />
                    </td>
                  )}
                  <td>
                    <a href={href(`/runs/${encodeURIComponent(id)}`)}>{f.flowName ?? f.flowId ?? id}</a>
                    <div className="muted mono small">{id}</div>
                  </td>
                  <td className="mono">{f.failedNode ?? f.nodeId ?? '—'}</td>
                  <td className="error-cell">{errorText(f.error)}</td>
                  <td className="muted">{formatTime(f.finishedAt ?? f.startedAt ?? f.createdAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {action && (
        <ConfirmDialog
          title={action === 'retry' ? 'Retry runs' : 'Resolve failures'}
          message={
            action === 'retry'
              ? `Retry ${selected.size} run(s) from their failed step? Writes reuse their idempotency keys, so nothing is created twice.`
              : `Mark ${selected.size} failure(s) as resolved? They leave the inbox; their runs stay in the history.`
          }
          confirmLabel={action === 'retry' ? 'Retry' : 'Resolve'}
          busy={busy}
          onConfirm={() => void apply()}
          onCancel={() => setAction(null)}
        />
      )}
    </div>
  );
}
