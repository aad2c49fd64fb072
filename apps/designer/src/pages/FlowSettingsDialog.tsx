import type { FlowSettings } from '@tributary/flow';
import { useFlowStore, useFlowStoreApi } from '../canvas/useFlowStore.ts';
import { Modal } from '../components/Modal.tsx';
import { useCatalog } from '../state/useCatalog.ts';

const PRIORITIES: Array<{ value: FlowSettings['priority']; label: string }> = [
  { value: 'high', label: 'High — orders' },
  { value: 'normal', label: 'Normal — customers' },
  { value: 'low', label: 'Low — catalog' },
];

/** Flow-level settings: name, description, trigger, priority, concurrency and the run time limit. */
export function FlowSettingsDialog({ onClose }: { onClose(): void }) {
  const store = useFlowStoreApi();
  const doc = useFlowStore((s) => s.doc);
  const readOnly = useFlowStore((s) => s.readOnly);
  const catalog = useCatalog((s) => s.byType);
  const { dispatch } = store.getState();
  const triggers = doc.nodes.filter((n) => catalog[n.type]?.kind === 'trigger');
  const setSettings = (settings: Partial<FlowSettings>, key: string) => dispatch({ type: 'setMeta', settings }, { coalesce: `flow.settings.${key}` });
  return (
    <Modal title="Flow settings" onClose={onClose} testId="flow-settings">
      <label className="field">
        <span className="field-label">Name</span>
        <input value={doc.name} disabled={readOnly} onChange={(e) => dispatch({ type: 'setMeta', name: e.target.value }, { coalesce: 'flow.name' })} />
      </label>
      <label className="field">
        <span className="field-label">Description</span>
        <textarea rows={3} value={doc.description ?? ''} disabled={readOnly} onChange={(e) => dispatch({ type: 'setMeta', description: e.target.value }, { coalesce: 'flow.description' })} />
      </label>
      <label className="field">
        <span className="field-label">Trigger</span>
        <select value={doc.trigger} disabled={readOnly || triggers.length === 0} onChange={(e) => dispatch({ type: 'setTrigger', nodeId: e.target.value })} data-testid="flow-trigger">
          {!triggers.some((t) => t.id === doc.trigger) && <option value={doc.trigger}>{triggers.length ? '— choose —' : 'Drop a trigger on the canvas'}</option>}
          {triggers.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name ?? t.id} ({t.type})
            </option>
          ))}
        </select>
      </label>
      <div className="field-grid">
        <label className="field">
          <span className="field-label">Priority</span>
          <select value={doc.settings.priority} disabled={readOnly} onChange={(e) => setSettings({ priority: PRIORITIES.find((p) => p.value === e.target.value)?.value ?? 'normal' }, 'priority')} data-testid="flow-priority">
            {PRIORITIES.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Concurrent runs (max)</span>
          <input type="number" min={1} max={1000} value={doc.settings.concurrency} disabled={readOnly} onChange={(e) => setSettings({ concurrency: Math.max(1, Math.min(1000, Math.round(Number(e.target.value) || 1))) }, 'concurrency')} />
        </label>
        <label className="field">
          <span className="field-label">Run time limit (seconds)</span>
          <input
            type="number"
            min={1}
            max={86400}
            value={Math.round(doc.settings.timeoutMs / 1000)}
            disabled={readOnly}
            onChange={(e) => setSettings({ timeoutMs: Math.max(1, Math.min(86_400, Math.round(Number(e.target.value) || 1))) * 1000 }, 'timeoutMs')}
          />
        </label>
      </div>
      <p className="muted small">Orders run before customers before catalog; the concurrency cap holds across every worker.</p>
    </Modal>
  );
}
