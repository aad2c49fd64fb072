import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
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
