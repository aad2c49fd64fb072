import { create } from 'zustand';
import type { NodeTypeSpec } from '@tributary/flow';
import { api } from '../api/client.ts';

interface CatalogState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  list: NodeTypeSpec[];
  byType: Record<string, NodeTypeSpec>;
  load(): Promise<void>;
}

/** The node-type catalog from the server (JSON only; no connector code runs in the browser). */
export const useCatalog = create<CatalogState>()((set, get) => ({
  status: 'idle',
  error: null,
  list: [],
  byType: {},
  async load() {
    if (get().status === 'loading' || get().status === 'ready') return;
    set({ status: 'loading', error: null });
    try {
      const { nodeTypes } = await api.catalog();
      set({ status: 'ready', list: nodeTypes, byType: Object.fromEntries(nodeTypes.map((t) => [t.type, t])) });
    } catch (err) {
      set({ status: 'error', error: err instanceof Error ? err.message : String(err) });
    }
  },
}));
