import { useState } from 'react';
import { api } from '../api/client.ts';
import type { Rev } from '../api/types.ts';
import { useFlowStore, useFlowStoreApi } from '../canvas/useFlowStore.ts';
import { Modal } from '../components/Modal.tsx';
import { href } from '../router.ts';
import { toastError, toastSuccess } from '../state/useToasts.ts';
import { EnableToggle } from './EnableToggle.tsx';
import { FlowSettingsDialog } from './FlowSettingsDialog.tsx';
import type { FlowMeta } from './FlowEditorPage.tsx';

export interface EditorToolbarProps {
  meta: FlowMeta;
  saving: boolean;
  canPublish: boolean;
  /** Why publishing is not possible right now, or null. */
  publishBlocked: string | null;
  hasRun: boolean;
  onSave(): Promise<boolean>;
  onLayout(): void;
  onFit(): void;
  onTest(): void;
  onClearRun(): void;
  onMetaChanged(): void;
  getRev(): Rev;
}

export function EditorToolbar(props: EditorToolbarProps) {
  const store = useFlowStoreApi();
  const name = useFlowStore((s) => s.doc.name);
  const dirty = useFlowStore((s) => s.doc !== s.savedDoc);
  const canUndo = useFlowStore((s) => s.past.length > 0 || s.gestureBase !== null);
  const canRedo = useFlowStore((s) => s.future.length > 0);
  const readOnly = useFlowStore((s) => s.readOnly);
  const [publishing, setPublishing] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const { meta } = props;

  return (
    <div className="toolbar" data-testid="editor-toolbar">
      <a className="toolbar-back" href={href('/flows')} title="All flows">
        ←
      </a>
      <input
        className="flow-name-input"
        value={name}
        disabled={readOnly}
        aria-label="Flow name"
        onChange={(e) => store.getState().dispatch({ type: 'setMeta', name: e.target.value }, { coalesce: 'flow.name' })}
        onBlur={() => store.getState().seal()}
        data-testid="flow-name"
      />
      <span className={`save-state${dirty ? ' dirty' : ''}`} data-testid="save-state">
        {readOnly ? 'Read-only' : props.saving ? 'Saving…' : dirty ? 'Unsaved changes' : 'Saved'}
      </span>
      <div className="toolbar-group">
        {!readOnly && (
          <>
            <button className="button button-small" onClick={() => store.getState().undo()} disabled={!canUndo} title="Undo (Ctrl+Z)" data-testid="undo">
              Undo
            </button>
            <button className="button button-small" onClick={() => store.getState().redo()} disabled={!canRedo} title="Redo (Ctrl+Shift+Z / Ctrl+Y)" data-testid="redo">
              Redo
            </button>
            <button className="button button-small" onClick={props.onLayout} title="Arrange nodes left to right" data-testid="auto-layout">
              Auto-layout
            </button>
          </>
        )}
        <button className="button button-small" onClick={props.onFit} title="Fit the whole flow in view" data-testid="fit-view">
          Fit view
        </button>
        <button className="button button-small" onClick={() => setSettingsOpen(true)} data-testid="flow-settings-open">
          Settings
        </button>
      </div>
      <div className="toolbar-spacer" />
      <div className="toolbar-group">
        {props.hasRun && (
          <button className="button button-small button-ghost" onClick={props.onClearRun} data-testid="clear-run">
            Clear test results
          </button>
        )}
        {!readOnly && (
          <button className="button button-small" onClick={props.onTest} data-testid="test-run">
            Test run
          </button>
        )}
        {!readOnly && (
          <button className="button button-small" onClick={() => void props.onSave()} disabled={!dirty || props.saving} title="Save the draft (Ctrl+S)" data-testid="save">
            Save
          </button>
        )}
        <a className="button button-small button-ghost" href={href(`/flows/${encodeURIComponent(meta.flowId)}/versions`)} data-testid="versions-link">
          Versions{meta.currentVersion ? ` (v${meta.currentVersion})` : ''}
        </a>
        {props.canPublish && (
          <>
            <span title={props.publishBlocked ?? undefined}>
              <button className="button button-small button-primary" disabled={props.publishBlocked !== null} onClick={() => setPublishing(true)} data-testid="publish">
                Publish
              </button>
            </span>
            <EnableToggle flow={{ id: meta.flowId, name, enabled: meta.enabled, currentVersion: meta.currentVersion }} canToggle onChanged={props.onMetaChanged} />
          </>
        )}
      </div>
      {settingsOpen && <FlowSettingsDialog onClose={() => setSettingsOpen(false)} />}
      {publishing && (
        <PublishDialog
          flowId={meta.flowId}
          nextVersion={(meta.currentVersion ?? 0) + 1}
          dirty={dirty}
          getRev={props.getRev}
          onSave={props.onSave}
          onClose={() => setPublishing(false)}
          onPublished={() => {
            setPublishing(false);
            props.onMetaChanged();
          }}
        />
      )}
    </div>
  );
}

interface PublishDialogProps {
  flowId: string;
  nextVersion: number;
  dirty: boolean;
  /** The rev after any save, so the server refuses to publish a draft someone else changed meanwhile. */
  getRev(): Rev;
  onSave(): Promise<boolean>;
  onClose(): void;
  onPublished(): void;
}

function PublishDialog({ flowId, nextVersion, dirty, getRev, onSave, onClose, onPublished }: PublishDialogProps) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  async function publish() {
    setBusy(true);
    try {
      if (dirty && !(await onSave())) return;
      const res = await api.flows.publish(flowId, { note: note.trim() || undefined, rev: getRev() });
      const v = typeof res.version === 'number' ? res.version : typeof res.version === 'object' && res.version && 'version' in res.version ? String(res.version.version) : nextVersion;
      toastSuccess(`Published v${v}`);
      onPublished();
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal
      title={`Publish version ${nextVersion}`}
      onClose={onClose}
      testId="publish-dialog"
      footer={
        <>
          <button className="button" onClick={onClose}>
            Cancel
          </button>
          <button className="button button-primary" disabled={busy} onClick={() => void publish()} data-testid="publish-confirm">
            {dirty ? 'Save and publish' : 'Publish'}
          </button>
        </>
      }
    >
      <p>Publishing freezes the current draft as an immutable version. Enabled flows start using it for new events at once; runs in flight keep their version.</p>
      <label className="field">
        <span className="field-label">Release note (optional)</span>
        <textarea rows={3} value={note} onChange={(e) => setNote(e.target.value)} placeholder="What changed and why" data-testid="publish-note" />
      </label>
    </Modal>
  );
}
