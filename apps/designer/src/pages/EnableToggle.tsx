import { useState } from 'react';
import { api } from '../api/client.ts';
import { ConfirmDialog } from '../components/Modal.tsx';
import { toastError, toastSuccess } from '../state/useToasts.ts';

/** Enable/disable a flow in production, always through a confirmation. Shown read-only to non-admins. */
export function EnableToggle({ flow, canToggle, onChanged }: { flow: { id: string; name: string; enabled: boolean; currentVersion: number | null }; canToggle: boolean; onChanged(): void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const label = flow.enabled ? 'Enabled' : 'Disabled';
  if (!canToggle) return <span className={`pill ${flow.enabled ? 'pill-succeeded' : 'pill-muted'}`}>{label}</span>;
  async function apply() {
    setBusy(true);
    try {
      if (flow.enabled) await api.flows.disable(flow.id);
      else await api.flows.enable(flow.id);
      toastSuccess(`${flow.name} ${flow.enabled ? 'disabled' : 'enabled'}`);
      setConfirming(false);
      onChanged();
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button
        className={`switch${flow.enabled ? ' on' : ''}`}
        role="switch"
        aria-checked={flow.enabled}
        title={flow.currentVersion ? undefined : 'Publish a version before enabling'}
        disabled={!flow.enabled && !flow.currentVersion}
        onClick={() => setConfirming(true)}
        data-testid={`enable-toggle-${flow.id}`}
      >
        <span className="switch-knob" />
        <span className="switch-label">{label}</span>
      </button>
      {confirming && (
        <ConfirmDialog
          title={flow.enabled ? 'Disable flow' : 'Enable flow'}
          message={
            flow.enabled ? (
              <>
                Disable <strong>{flow.name}</strong>? Its webhooks start answering 404 (flow not found) and its schedules stop on every process at once. Runs in flight finish.
              </>
            ) : (
              <>
                Enable <strong>{flow.name}</strong> (v{flow.currentVersion})? It starts processing production events immediately.
              </>
            )
          }
          confirmLabel={flow.enabled ? 'Disable' : 'Enable'}
          danger={flow.enabled}
          busy={busy}
          onConfirm={() => void apply()}
          onCancel={() => setConfirming(false)}
        />
      )}
    </>
  );
}
