import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import type { FlowSummary } from '../api/types.ts';
import { emptyFlow } from '../canvas/flow-store.ts';
import { EmptyState, Spinner } from '../components/EmptyState.tsx';
import { ConfirmDialog, Modal } from '../components/Modal.tsx';
import { formatTime } from '../lib/format.ts';
import { href, navigate } from '../router.ts';
import { usePermissions } from '../state/useSession.ts';
import { toastError, toastSuccess } from '../state/useToasts.ts';
import { EnableToggle } from './EnableToggle.tsx';

export function FlowsPage() {
  const perms = usePermissions();
  const [flows, setFlows] = useState<FlowSummary[] | null>(null);
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<FlowSummary | null>(null);

  const load = useCallback(() => {
    api.flows.list().then(setFlows, (err: unknown) => {
      setFlows([]);
      toastError(err);
    });
  }, []);
  useEffect(load, [load]);

  async function remove(flow: FlowSummary) {
    try {
      await api.flows.remove(flow.id);
      toastSuccess(`Deleted “${flow.name}”`);
      setDeleting(null);
      load();
    } catch (err) {
      toastError(err);
    }
  }

  const shown = (flows ?? []).filter((f) => `${f.name} ${f.id}`.toLowerCase().includes(query.toLowerCase()));
  return (
    <div className="page">
      <header className="page-header">
        <h1>Flows</h1>
        <div className="page-actions">
          <input className="search" placeholder="Search flows" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="flows-search" />
          {perms.editFlows && (
            <button className="button button-primary" onClick={() => setCreating(true)} data-testid="new-flow">
              New flow
            </button>
          )}
        </div>
      </header>
      {flows === null ? (
        <Spinner />
      ) : shown.length === 0 ? (
        <EmptyState title={flows.length === 0 ? 'No flows yet' : 'No flow matches'} testId="flows-empty">
          {flows.length === 0 && perms.editFlows ? 'Create a flow, drop a trigger on the canvas and connect the systems it should keep in step.' : null}
        </EmptyState>
      ) : (
        <table className="table" data-testid="flows-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th>Published</th>
              <th>Updated</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {shown.map((f) => (
              <tr key={f.id} data-testid={`flow-row-${f.id}`}>
                <td>
                  <a href={href(`/flows/${encodeURIComponent(f.id)}`)} className="strong-link">
                    {f.name}
                  </a>
                  <div className="muted mono small">{f.id}</div>
                </td>
                <td>
                  <EnableToggle flow={f} canToggle={perms.publish} onChanged={load} />
                </td>
                <td>{f.currentVersion ? <a href={href(`/flows/${encodeURIComponent(f.id)}/versions`)}>v{f.currentVersion}</a> : <span className="muted">not published</span>}</td>
                <td className="muted">{formatTime(f.updatedAt)}</td>
                <td className="row-actions">
                  <a className="button button-small" href={href(`/runs?flowId=${encodeURIComponent(f.id)}`)}>
                    Runs
                  </a>
                  {perms.publish && (
                    <button className="button button-small button-ghost" onClick={() => setDeleting(f)} data-testid={`delete-flow-${f.id}`}>
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {creating && <NewFlowDialog onClose={() => setCreating(false)} />}
      {deleting && (
        <ConfirmDialog
          title="Delete flow"
          message={
            <>
              Delete <strong>{deleting.name}</strong> with its draft and versions? Runs already recorded stay in the history.
            </>
          }
          confirmLabel="Delete"
          danger
          onConfirm={() => void remove(deleting)}
          onCancel={() => setDeleting(null)}
        />
      )}
    </div>
  );
}

function NewFlowDialog({ onClose }: { onClose(): void }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  async function create() {
    setBusy(true);
    try {
      const id = `flw_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
      const created = await api.flows.create(emptyFlow(id, name.trim() || 'Untitled flow'));
      navigate(`/flows/${encodeURIComponent(created.id)}`);
    } catch (err) {
      toastError(err);
      setBusy(false);
    }
  }
  return (
    <Modal
      title="New flow"
      onClose={onClose}
      footer={
        <>
          <button className="button" onClick={onClose}>
            Cancel
          </button>
          <button className="button button-primary" disabled={busy} onClick={() => void create()} data-testid="create-flow">
            Create
          </button>
        </>
      }
    >
      <label className="field">
        <span className="field-label">Name</span>
        <input autoFocus value={name} placeholder="Shopify order to ERP sales order" onChange={(e) => setName(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void create()} data-testid="new-flow-name" />
      </label>
    </Modal>
  );
}
