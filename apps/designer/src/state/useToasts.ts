import { create } from 'zustand';
import { ApiError, errorMessage } from '../api/client.ts';

export type ToastKind = 'error' | 'success' | 'info';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  code?: string;
}

interface ToastState {
  toasts: Toast[];
  push(kind: ToastKind, message: string, code?: string): void;
  dismiss(id: number): void;
}

let nextId = 1;

export const useToasts = create<ToastState>()((set, get) => ({
  toasts: [],
  push(kind, message, code) {
    const id = nextId++;
    const toast: Toast = code === undefined ? { id, kind, message } : { id, kind, message, code };
    set({ toasts: [...get().toasts.slice(-4), toast] });
    // Errors stay until read for longer; successes are a glance.
    setTimeout(() => get().dismiss(id), kind === 'error' ? 9000 : 3500);
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
}));

/**
 * Shows a failure with the server's own message (and its code). A 401 shows nothing: the app has
 * already switched to the login page, which says the session expired.
 */
export function toastError(err: unknown): void {
  if (err instanceof ApiError && err.status === 401) return;
  const code = typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
  useToasts.getState().push('error', errorMessage(err), code);
}

export function toastSuccess(message: string): void {
  useToasts.getState().push('success', message);
}
