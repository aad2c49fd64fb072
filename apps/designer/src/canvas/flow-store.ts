import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { FlowDocument, Position } from '@tributary/flow';
import { applyEdit, copySelection, preparePaste } from './flow-edits.ts';
import type { ClipboardData, FlowEdit } from './flow-edits.ts';
import { edgeId } from './node-ids.ts';
import type { CanvasUpdate } from './adapter.ts';

/** How many undo steps are kept; snapshots share structure, so this is cheap. */
export const HISTORY_LIMIT = 100;

export interface Dimensions {
  width: number;
  height: number;
}

export interface Selection {
  nodes: string[];
  edges: string[];
}

/**
 * The editor's state: the FlowDocument (the only thing saved) plus view state that React Flow needs
 * but the document must not carry (selection, measured sizes). Undo/redo keep whole-document
 * snapshots; immutable updates make each snapshot share everything it did not change.
 */
export interface FlowEditorState {
  doc: FlowDocument;
  /** The document as last loaded or saved, for the "unsaved changes" marker. */
  savedDoc: FlowDocument;
  past: FlowDocument[];
  future: FlowDocument[];
  /** The document before a drag started; a whole drag becomes one undo step. */
  gestureBase: FlowDocument | null;
  /** Key of the last coalescing edit: consecutive edits with one key (typing in one field) share an undo step. */
  coalesceKey: string | null;
  selection: Selection;
  clipboard: ClipboardData | null;
  measured: Record<string, Dimensions>;
  readOnly: boolean;

  load(doc: FlowDocument, options?: { readOnly?: boolean }): void;
  /**
   * Applies edits as one undo step. Ignored when read-only or when nothing changes. With
   * `coalesce`, consecutive edits carrying the same key fold into the first one's undo step.
   */
  dispatch(edit: FlowEdit | FlowEdit[], options?: { coalesce?: string }): void;
  /** Applies edits during a gesture (drag) without adding undo steps; `endGesture` adds one for the whole gesture. */
  dispatchTransient(edit: FlowEdit | FlowEdit[]): void;
  /** Ends coalescing (a field lost focus): the next edit starts a new undo step. */
  seal(): void;
  endGesture(): void;
  undo(): void;
  redo(): void;
  select(selection: Partial<Selection>): void;
  selectAll(): void;
  copy(): void;
  paste(offset?: Position): void;
  deleteSelection(): void;
  setMeasured(updates: Record<string, Dimensions>): void;
  markSaved(doc?: FlowDocument): void;
  /** Puts a kept draft over the loaded document as unsaved changes; one undo goes back to the loaded one. */
  restoreDraft(doc: FlowDocument): void;
  setReadOnly(readOnly: boolean): void;
}

export type FlowEditorStore = StoreApi<FlowEditorState>;

export function emptyFlow(id = 'draft', name = 'Untitled flow'): FlowDocument {
  return {
    schemaVersion: 1,
    id,
    name,
    trigger: 'trigger',
    nodes: [],
    edges: [],
    settings: { priority: 'normal', concurrency: 10, timeoutMs: 300_000 },
    layout: {},
  };
}

/**
 * Whether two documents differ at most in `layout`. Edits keep the identity of every part they do
 * not touch, so a drag (layout only) leaves all other top-level values identical.
 */
export function sameExceptLayout(a: FlowDocument, b: FlowDocument): boolean {
  if (a === b) return true;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (k === 'layout') continue;
    if ((a as unknown as Record<string, unknown>)[k] !== (b as unknown as Record<string, unknown>)[k]) return false;
  }
  return true;
}

function applyAll(doc: FlowDocument, edit: FlowEdit | FlowEdit[]): FlowDocument {
  const edits = Array.isArray(edit) ? edit : [edit];
  return edits.reduce(applyEdit, doc);
}

function pushPast(past: FlowDocument[], doc: FlowDocument): FlowDocument[] {
  const next = [...past, doc];
  return next.length > HISTORY_LIMIT ? next.slice(next.length - HISTORY_LIMIT) : next;
}

/** Drops selected ids that no longer exist in `doc`. */
function pruneSelection(doc: FlowDocument, sel: Selection): Selection {
  const nodeIds = new Set(doc.nodes.map((n) => n.id));
  const edgeIds = new Set(doc.edges.map(edgeId));
  return { nodes: sel.nodes.filter((id) => nodeIds.has(id)), edges: sel.edges.filter((id) => edgeIds.has(id)) };
}

export function createFlowStore(initial: FlowDocument = emptyFlow()): FlowEditorStore {
  return createStore<FlowEditorState>()((set, get) => ({
    doc: initial,
    savedDoc: initial,
    past: [],
    future: [],
    gestureBase: null,
    coalesceKey: null,
    selection: { nodes: [], edges: [] },
    clipboard: null,
    measured: {},
    readOnly: false,

    load(doc, options) {
      set({
        doc,
        savedDoc: doc,
        past: [],
        future: [],
        gestureBase: null,
        coalesceKey: null,
        selection: { nodes: [], edges: [] },
        measured: {},
        readOnly: options?.readOnly ?? get().readOnly,
      });
    },

    dispatch(edit, options) {
      const s = get();
      if (s.readOnly) return;
      const base = s.gestureBase ?? s.doc;
      const doc = applyAll(s.doc, edit);
      if (doc === s.doc && s.gestureBase === null) return;
      const key = options?.coalesce ?? null;
      const fold = key !== null && key === s.coalesceKey && s.gestureBase === null;
      set({ doc, past: fold ? s.past : pushPast(s.past, base), future: [], gestureBase: null, coalesceKey: key, selection: pruneSelection(doc, s.selection) });
    },

    dispatchTransient(edit) {
      const s = get();
      if (s.readOnly) return;
      const doc = applyAll(s.doc, edit);
      if (doc === s.doc) return;
      set({ doc, gestureBase: s.gestureBase ?? s.doc, coalesceKey: null });
    },

    seal() {
      if (get().coalesceKey !== null) set({ coalesceKey: null });
    },

    endGesture() {
      const s = get();
      if (!s.gestureBase) return;
      if (s.gestureBase === s.doc) {
        set({ gestureBase: null });
        return;
      }
      set({ past: pushPast(s.past, s.gestureBase), future: [], gestureBase: null });
    },

    undo() {
      const s = get();
      if (s.readOnly) return;
      // Undo in the middle of a drag first drops the drag itself.
      const prev = s.gestureBase ?? s.past[s.past.length - 1];
      if (!prev) return;
      const past = s.gestureBase ? s.past : s.past.slice(0, -1);
      set({ doc: prev, past, future: [s.doc, ...s.future], gestureBase: null, coalesceKey: null, selection: pruneSelection(prev, s.selection) });
    },

    redo() {
      const s = get();
      if (s.readOnly) return;
      const [next, ...rest] = s.future;
      if (!next) return;
      set({ doc: next, past: pushPast(s.past, s.doc), future: rest, gestureBase: null, coalesceKey: null, selection: pruneSelection(next, s.selection) });
    },

    select(selection) {
      const s = get();
      set({ selection: { nodes: selection.nodes ?? s.selection.nodes, edges: selection.edges ?? s.selection.edges } });
    },

    selectAll() {
      const { doc } = get();
      set({ selection: { nodes: doc.nodes.map((n) => n.id), edges: doc.edges.map(edgeId) } });
    },

    copy() {
      const s = get();
      const clip = copySelection(s.doc, s.selection.nodes);
      if (clip) set({ clipboard: clip });
    },

    paste(offset) {
      const s = get();
      if (s.readOnly || !s.clipboard) return;
      const edit = preparePaste(s.doc, s.clipboard, offset);
      s.dispatch(edit);
      const dx = offset?.x ?? 40;
      const dy = offset?.y ?? 40;
      set({
        selection: { nodes: edit.nodes.map((n) => n.id), edges: edit.edges.map(edgeId) },
        // Pasting again lands further along instead of stacking copies on top of each other.
        clipboard: { ...s.clipboard, layout: Object.fromEntries(Object.entries(s.clipboard.layout).map(([id, p]) => [id, { x: p.x + dx, y: p.y + dy }])) },
      });
    },

    deleteSelection() {
      const s = get();
      if (s.readOnly) return;
      if (s.selection.nodes.length === 0 && s.selection.edges.length === 0) return;
      s.dispatch({ type: 'removeElements', nodeIds: s.selection.nodes, edgeIds: s.selection.edges });
      set({ selection: { nodes: [], edges: [] } });
    },

    setMeasured(updates) {
      set({ measured: { ...get().measured, ...updates } });
    },

    markSaved(doc) {
      set({ savedDoc: doc ?? get().doc });
    },

    restoreDraft(doc) {
      const s = get();
      if (s.readOnly || doc === s.doc) return;
      set({ doc, past: pushPast(s.past, s.doc), future: [], gestureBase: null, coalesceKey: null, selection: pruneSelection(doc, s.selection) });
    },

    setReadOnly(readOnly) {
      set({ readOnly });
    },
  }));
}

/** Feeds a React Flow change batch (already translated by the adapter) into the store. */
export function applyCanvasUpdate(store: FlowEditorStore, update: CanvasUpdate): void {
  const s = store.getState();
  if (Object.keys(update.measured).length > 0) s.setMeasured(update.measured);
  if (update.selection) s.select(update.selection);
  if (update.transientEdits.length > 0) s.dispatchTransient(update.transientEdits);
  if (update.edits.length > 0) s.dispatch(update.edits);
  else if (update.gestureEnded) s.endGesture();
}
