import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import { hasErrors } from '@tributary/flow';
import type { FlowIssue } from '@tributary/flow';
import { api, ApiError } from '../api/client.ts';
import type { RunDetail, Step } from '../api/types.ts';
import type { NodeIssue, StepBadge, StepStatus } from '../canvas/adapter.ts';
import { FlowCanvas } from '../canvas/FlowCanvas.tsx';
import { autoLayout } from '../canvas/layout.ts';
import { addNodeEdits } from '../canvas/node-factory.ts';
import { Palette } from '../canvas/Palette.tsx';
import { ProblemsPanel } from '../canvas/ProblemsPanel.tsx';
import { isEditableTarget, shortcutFor } from '../canvas/shortcuts.ts';
import { useFlowDocIgnoringLayout, useFlowStore, useFlowStoreApi } from '../canvas/useFlowStore.ts';
import { NodeConfigPanel } from '../config/NodeConfigPanel.tsx';
import { expressionContextPaths } from '../lib/expression-paths.ts';
import { formatTime } from '../lib/format.ts';
import { expressionFunctions, validateDraft } from '../lib/mapping-tools.ts';
import { MappingEditorDialog } from '../mapping/MappingEditorDialog.tsx';
import { setLeaveGuard } from '../router.ts';
import { useCatalog } from '../state/useCatalog.ts';
import { clearDraftBackup, sessionBackupStorage, writeDraftBackup } from '../state/draft-backup.ts';
import { usePermissions, useSession } from '../state/useSession.ts';
import { toastError, toastSuccess } from '../state/useToasts.ts';
import { EditorToolbar } from './EditorToolbar.tsx';
import type { FlowMeta } from './FlowEditorPage.tsx';
import { TestRunDialog } from './TestRunDialog.tsx';

const STEP_STATUSES: readonly StepStatus[] = ['succeeded', 'failed', 'skipped', 'running', 'pending', 'retrying', 'waiting'];

function badgeOf(step: Step): StepBadge {
  const status = (STEP_STATUSES as readonly string[]).includes(step.status) ? (step.status as StepStatus) : 'pending';
  return step.durationMs === undefined ? { status } : { status, durationMs: step.durationMs };
}

export interface FlowEditorProps {
  meta: FlowMeta;
  setMeta(meta: FlowMeta): void;
  /** Re-reads the stored flow's rev and flags, keeping the draft; resolves to the new meta. */
  reloadMeta(): Promise<FlowMeta | null>;
  /** Replaces the draft with the stored one. */
  reloadDraft(): Promise<FlowMeta | null>;
  /** When the draft is unsaved work kept from before (a sign-in, a reload): when it was kept. */
  restoredFrom: string | null;
  onDismissRestored(): void;
}

export function FlowEditor({ meta, setMeta, reloadMeta, reloadDraft, restoredFrom, onDismissRestored }: FlowEditorProps) {
  const store = useFlowStoreApi();
  const perms = usePermissions();
  const catalog = useCatalog();
  // Not the live document: moving nodes must not re-render the editor around the canvas.
  const doc = useFlowDocIgnoringLayout();
  const selection = useFlowStore((s) => s.selection);
  const readOnly = useFlowStore((s) => s.readOnly);
  const dirty = useFlowStore((s) => s.doc !== s.savedDoc);
  const { fitView, screenToFlowPosition } = useReactFlow();
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState(false);
  const [lastRun, setLastRun] = useState<RunDetail | null>(null);
  const [testOpen, setTestOpen] = useState(false);
  const [mapping, setMapping] = useState<{ nodeId: string; prop: string } | null>(null);
  const metaRef = useRef(meta);
  metaRef.current = meta;

  // Validation follows every edit; deferring keeps typing smooth on large flows. Moves change only
  // `layout` (edits keep every other part's identity), and layout changes no issue, so a drag never
  // re-validates.
  const deferredDoc = useDeferredValue(doc);
  const { nodes, edges, trigger, settings, name, description, id, schemaVersion } = deferredDoc;
  const issues: FlowIssue[] = useMemo(
    () => (catalog.status === 'ready' ? validateDraft({ ...deferredDoc, nodes, edges, trigger, settings, name, description, id, schemaVersion }, catalog.byType) : []),
    // deferredDoc itself is left out on purpose: its layout never changes the result.
    [nodes, edges, trigger, settings, name, description, id, schemaVersion, catalog.status, catalog.byType],
  );
  const issuesByNode = useMemo(() => {
    const out: Record<string, NodeIssue[]> = {};
    for (const i of issues) if (i.nodeId) (out[i.nodeId] ??= []).push({ code: i.code, message: i.message, severity: i.severity ?? 'error' });
    return out;
  }, [issues]);
  const stepByNode = useMemo(() => {
    const out: Record<string, Step> = {};
    for (const s of lastRun?.steps ?? []) out[s.nodeId] = s;
    return out;
  }, [lastRun]);
  const stepsByNode = useMemo(() => Object.fromEntries(Object.entries(stepByNode).map(([id, s]) => [id, badgeOf(s)])), [stepByNode]);
  const stepOutputs = useMemo(() => Object.fromEntries(Object.entries(stepByNode).map(([id, s]) => [id, s.output])), [stepByNode]);

  const panelNodeId = selection.nodes.length === 1 && selection.edges.length === 0 ? (selection.nodes[0] ?? null) : null;
  const completions = useMemo(
    () => (panelNodeId ? expressionContextPaths({ doc, catalog: catalog.byType, nodeId: panelNodeId, stepOutputs }) : []),
    [doc, catalog.byType, panelNodeId, stepOutputs],
  );

  const save = useCallback(async (): Promise<boolean> => {
    const s = store.getState();
    if (s.readOnly) return false;
    if (s.doc === s.savedDoc) return true;
    const draft = s.doc;
    setSaving(true);
    try {
      const record = await api.flows.save(metaRef.current.flowId, draft, metaRef.current.rev);
      // The ref is read right after an awaited save (publish sends the new rev), before React re-renders.
      metaRef.current = { ...metaRef.current, rev: record.rev, enabled: record.enabled, currentVersion: record.currentVersion };
      setMeta(metaRef.current);
      store.getState().markSaved(draft);
      setConflict(false);
      return true;
    } catch (err) {
      // A conflict shows the banner with its choice; a 401 shows the login page (the draft is kept).
      if (err instanceof ApiError && (err.code === 'FLOW_REV_CONFLICT' || err.status === 409)) setConflict(true);
      else if (!(err instanceof ApiError && err.status === 401)) toastError(err);
      return false;
    } finally {
      setSaving(false);
    }
  }, [store, setMeta]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutFor(e);
      if (!action) return;
      if (action === 'save') {
        e.preventDefault();
        void save();
        return;
      }
      if (isEditableTarget(e.target) || document.querySelector('.modal-backdrop')) return;
      const s = store.getState();
      e.preventDefault();
      if (action === 'undo') s.undo();
      else if (action === 'redo') s.redo();
      else if (action === 'copy') s.copy();
      else if (action === 'paste') s.paste();
      else if (action === 'selectAll') s.selectAll();
      else if (action === 'delete') s.deleteSelection();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, save]);

  // Leaving the editor inside the app (nav links, back) keeps the work: unsaved edits are saved first,
  // and when that fails (someone else saved meanwhile, the server is away) the editor stays open.
  useEffect(
    () =>
      setLeaveGuard(async () => {
        const s = store.getState();
        if (s.readOnly || s.doc === s.savedDoc) return true;
        const name = s.doc.name;
        if (!(await save())) return false;
        toastSuccess(`Saved your changes to “${name}”`);
        return true;
      }),
    [store, save],
  );

  // Unsaved work is copied to the tab's sessionStorage as it happens, so it outlives an editor that
  // goes away without saving (the session expired, a reload) and is restored when the flow reopens.
  useEffect(() => {
    const storage = sessionBackupStorage();
    const userId = useSession.getState().user?.id;
    if (!storage || !userId) return;
    const flowId = metaRef.current.flowId;
    return store.subscribe((s, prev) => {
      if (s.readOnly || s.gestureBase !== null) return;
      if (s.doc === prev.doc && s.savedDoc === prev.savedDoc && prev.gestureBase === null) return;
      if (s.doc === s.savedDoc) clearDraftBackup(storage, userId, flowId);
      else writeDraftBackup(storage, { userId, flowId, backup: { baseRev: metaRef.current.rev, doc: s.doc, savedAt: new Date().toISOString() } });
    });
  }, [store]);

  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      const s = store.getState();
      if (s.doc !== s.savedDoc) e.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [store]);

  // `save` reads the rev from the ref, which a re-render would refresh too late for this save.
  const overwrite = useCallback(async () => {
    const fresh = await reloadMeta().catch((err: unknown) => {
      toastError(err);
      return null;
    });
    if (!fresh) return;
    metaRef.current = fresh;
    await save();
  }, [reloadMeta, save]);

  const addAtCenter = useCallback(
    (type: string) => {
      const spec = catalog.byType[type];
      if (!spec) return;
      const canvas = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
      const center = canvas ? screenToFlowPosition({ x: canvas.left + canvas.width / 2, y: canvas.top + canvas.height / 2 }) : { x: 0, y: 0 };
      const { nodeId, edits } = addNodeEdits(store.getState().doc, spec, { x: center.x - 110 + (store.getState().doc.nodes.length % 5) * 20, y: center.y - 30 });
      store.getState().dispatch(edits);
      store.getState().select({ nodes: [nodeId], edges: [] });
    },
    [catalog.byType, screenToFlowPosition, store],
  );

  const focusNode = useCallback(
    (nodeId: string) => {
      store.getState().select({ nodes: [nodeId], edges: [] });
      void fitView({ nodes: [{ id: nodeId }], duration: 300, maxZoom: 1.2, padding: 0.6 });
    },
    [store, fitView],
  );

  const layout = useCallback(() => {
    const s = store.getState();
    s.dispatch({ type: 'setLayout', layout: autoLayout(s.doc, s.measured) });
    setTimeout(() => void fitView({ duration: 300, padding: 0.2 }), 50);
  }, [store, fitView]);

  const errorsPresent = hasErrors(issues);
  return (
    <div className="editor" data-testid="flow-editor" data-flow-id={meta.flowId}>
      <EditorToolbar
        meta={meta}
        saving={saving}
        canPublish={perms.publish}
        publishBlocked={errorsPresent ? 'Fix the errors in the problems list before publishing' : catalog.status !== 'ready' ? 'Loading node types…' : null}
        onSave={save}
        onLayout={layout}
        onFit={() => void fitView({ duration: 300, padding: 0.2 })}
        onTest={() => setTestOpen(true)}
        onMetaChanged={() => void reloadMeta().catch(toastError)}
        getRev={() => metaRef.current.rev}
        hasRun={lastRun !== null}
        onClearRun={() => setLastRun(null)}
      />
      {conflict && (
        <div className="banner banner-error editor-banner" data-testid="rev-conflict">
          Someone saved this flow after you opened it. Saving now would overwrite their changes.
          <button className="button button-small" onClick={() => void reloadDraft().then(() => setConflict(false), toastError)} data-testid="rev-conflict-theirs">
            Load their version (drop mine)
          </button>
          <button className="button button-small button-danger" onClick={() => void overwrite()} data-testid="rev-conflict-mine">
            Overwrite with mine
          </button>
        </div>
      )}
      {restoredFrom !== null && dirty && !conflict && (
        <div className="banner banner-warning editor-banner" data-testid="draft-restored">
          Your unsaved changes from {formatTime(restoredFrom)} are back. They are not saved yet.
          <button className="button button-small" onClick={() => void reloadDraft().then(onDismissRestored, toastError)} data-testid="draft-restored-discard">
            Discard them
          </button>
          <button className="button button-small button-ghost" onClick={onDismissRestored}>
            OK
          </button>
        </div>
      )}
      {catalog.status === 'error' && <div className="banner banner-error editor-banner">Could not load node types: {catalog.error}</div>}
      <div className="editor-body">
        {!readOnly && <Palette catalog={catalog.list} readOnly={readOnly} onAdd={addAtCenter} />}
        <div className="editor-center">
          <FlowCanvas catalog={catalog.byType} issuesByNode={issuesByNode} stepsByNode={stepsByNode} onNodeCreated={(id) => store.getState().select({ nodes: [id], edges: [] })} />
          <ProblemsPanel issues={issues} onSelect={(i) => i.nodeId && focusNode(i.nodeId)} />
        </div>
        {panelNodeId && (
          <NodeConfigPanel
            nodeId={panelNodeId}
            catalog={catalog.byType}
            issues={issues}
            completions={completions}
            functions={expressionFunctions}
            step={stepByNode[panelNodeId] ?? null}
            onOpenMapping={(nodeId, prop) => setMapping({ nodeId, prop })}
            onClose={() => store.getState().select({ nodes: [], edges: [] })}
          />
        )}
      </div>
      {testOpen && (
        <TestRunDialog
          flowId={meta.flowId}
          onClose={() => setTestOpen(false)}
          onRun={(run) => {
            setLastRun(run);
            setTestOpen(false);
          }}
        />
      )}
      {mapping && <MappingEditorDialog nodeId={mapping.nodeId} prop={mapping.prop} stepByNode={stepByNode} onClose={() => setMapping(null)} />}
    </div>
  );
}
