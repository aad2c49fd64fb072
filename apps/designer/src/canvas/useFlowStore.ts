import { createContext, useContext, useRef } from 'react';
import type { FlowDocument } from '@tributary/flow';
import { useStore } from 'zustand';
import { sameExceptLayout } from './flow-store.ts';
import type { FlowEditorState, FlowEditorStore } from './flow-store.ts';

/** The editor store of the flow being edited; one per open editor (created by FlowEditorPage). */
export const FlowStoreContext = createContext<FlowEditorStore | null>(null);

export function useFlowStoreApi(): FlowEditorStore {
  const store = useContext(FlowStoreContext);
  if (!store) throw new Error('useFlowStore must be used inside <FlowStoreContext.Provider>');
  return store;
}

export function useFlowStore<T>(selector: (s: FlowEditorState) => T): T {
  return useStore(useFlowStoreApi(), selector);
}

/**
 * The document, but a new value only when something besides node positions changed. For components
 * that show or check what the flow means (validation, the config panel): while a node is dragged
 * only the canvas re-renders. Its `layout` may be stale; read positions from the store instead.
 */
export function useFlowDocIgnoringLayout(): FlowDocument {
  const last = useRef<FlowDocument | null>(null);
  return useFlowStore((s) => {
    const prev = last.current;
    if (prev !== null && sameExceptLayout(prev, s.doc)) return prev;
    last.current = s.doc;
    return s.doc;
  });
}
