import { create } from 'zustand';
import { api } from '../api/client.ts';
import type { Connection } from '../api/types.ts';

interface ConnectionsState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  items: Connection[];
  load(force?: boolean): Promise<void>;
}

/** Connections (without secrets) shared by the connection pickers and the connections page. */
export const useConnections = create<ConnectionsState>()((set, get) => ({
  status: 'idle',
  items: [],
  async load(force = false) {
    if (!force && (get().status === 'loading' || get().status === 'ready')) return;
    set({ status: 'loading' });
    try {
      set({ status: 'ready', items: await api.connections.list() });
    } catch (err) {
      set({ status: 'error' });
      throw err;
    }
  },
}));
