import { useCallback, useEffect, useMemo, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { migrateFlow } from '@tributary/flow';
import type { FlowDocument, FlowIssue } from '@tributary/flow';
import { api, ApiError } from '../api/client.ts';
import type { Rev } from '../api/types.ts';
import { createFlowStore } from '../canvas/flow-store.ts';
import { FlowStoreContext } from '../canvas/useFlowStore.ts';
import { EmptyState, Spinner } from '../components/EmptyState.tsx';
import { errorText } from '../lib/format.ts';
import { href } from '../router.ts';
import { useCatalog } from '../state/useCatalog.ts';
import { clearDraftBackup, readDraftBackup, sessionBackupStorage } from '../state/draft-backup.ts';
import { usePermissions, useSession } from '../state/useSession.ts';
import { FlowEditor } from './FlowEditor.tsx';

/** What the editor knows about the stored flow besides its draft. */
export interface FlowMeta {
  flowId: string;
  rev: Rev;
  enabled: boolean;
  currentVersion: number | null;
}

type LoadState = { kind: 'loading' } | { kind: 'ready' } | { kind: 'failed'; message: string; issues: FlowIssue[] };

/** Loads a flow's draft into a fresh editor store; the editor itself lives in FlowEditor. */
export function FlowEditorPage({ flowId }: { flowId: string }) {
  const perms = usePermissions();
  const store = useMemo(() => createFlowStore(), [flowId]);
  const [meta, setMeta] = useState<FlowMeta | null>(null);
  const [state, setState] = useState<LoadState>({ kind: 'loading' });
  /** When the draft shown is unsaved work kept from an earlier visit (see draft-backup.ts): since when. */
  const [restoredFrom, setRestoredFrom] = useState<string | null>(null);
  const loadCatalog = useCatalog((s) => s.load);

  const reload = useCallback(
    async (options: { keepDraft?: boolean; restoreBackup?: boolean } = {}): Promise<FlowMeta | null> => {
      try {
        const record = await api.flows.get(flowId);
        let meta: FlowMeta = { flowId: record.id, rev: record.rev, enabled: record.enabled, currentVersion: record.currentVersion };
        if (options.keepDraft) {
          setMeta(meta);
          return meta;
        }
        const migrated = migrateFlow(record.draft);
        if (!migrated.ok) {
          setState({ kind: 'failed', message: 'The stored draft cannot be opened in the canvas.', issues: migrated.issues });
          return null;
        }
        store.getState().load(migrated.flow, { readOnly: !perms.editFlows });
        const kept = options.restoreBackup && perms.editFlows ? keptDraft(flowId, migrated.flow) : null;
        if (kept) {
          store.getState().restoreDraft(kept.doc);
          // Saving it then meets a rev conflict when someone saved since, instead of overwriting them.
          meta = { ...meta, rev: kept.baseRev };
        }
        setRestoredFrom(kept ? kept.savedAt : null);
        setMeta(meta);
        setState({ kind: 'ready' });
        return meta;
      } catch (err) {
        // Refreshing the open editor's rev must not replace the editor (and its unsaved work) by an error page.
        if (options.keepDraft) throw err;
        const message = err instanceof ApiError && err.status === 404 ? `There is no flow “${flowId}”.` : errorText(err instanceof Error ? { message: err.message } : err);
        setState({ kind: 'failed', message, issues: [] });
        return null;
      }
    },
    [flowId, store, perms.editFlows],
  );

  useEffect(() => {
    void loadCatalog();
    void reload({ restoreBackup: true });
  }, [loadCatalog, reload]);

  useEffect(() => store.getState().setReadOnly(!perms.editFlows), [store, perms.editFlows]);

  if (state.kind === 'loading' || !meta) {
    if (state.kind === 'failed') return <LoadFailure state={state} />;
    return <Spinner label="Opening flow…" />;
  }
  if (state.kind === 'failed') return <LoadFailure state={state} />;
  return (
    <FlowStoreContext.Provider value={store}>
      <ReactFlowProvider>
        <FlowEditor
          meta={meta}
          setMeta={setMeta}
          reloadMeta={() => reload({ keepDraft: true })}
          reloadDraft={() => reload()}
          restoredFrom={restoredFrom}
          onDismissRestored={() => setRestoredFrom(null)}
        />
      </ReactFlowProvider>
    </FlowStoreContext.Provider>
  );
}

/** The unsaved draft this tab kept for the flow, when there is one that differs from the stored draft. */
function keptDraft(flowId: string, stored: FlowDocument): { doc: FlowDocument; baseRev: Rev; savedAt: string } | null {
  const storage = sessionBackupStorage();
  const userId = useSession.getState().user?.id;
  if (!storage || !userId) return null;
  const backup = readDraftBackup(storage, userId, flowId);
  if (!backup) return null;
  const migrated = migrateFlow(backup.doc);
  if (!migrated.ok || JSON.stringify(migrated.flow) === JSON.stringify(stored)) {
    clearDraftBackup(storage, userId, flowId);
    return null;
  }
  return { doc: migrated.flow, baseRev: backup.baseRev, savedAt: backup.savedAt };
}

function LoadFailure({ state }: { state: Extract<LoadState, { kind: 'failed' }> }) {
  return (
    <div className="page">
      <EmptyState title="This flow could not be opened" testId="flow-load-error">
        <p>{state.message}</p>
        {state.issues.length > 0 && (
          <ul className="issue-list">
            {state.issues.map((i, k) => (
              <li key={k}>
                <span className="mono">{i.path || '(document)'}</span> — {i.message}
              </li>
            ))}
          </ul>
        )}
        <a className="button" href={href('/flows')}>
          Back to flows
        </a>
      </EmptyState>
    </div>
  );
}
