export type ShortcutAction = 'save' | 'undo' | 'redo' | 'copy' | 'paste' | 'selectAll' | 'delete';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** The canvas keyboard shortcuts; Ctrl and Cmd are the same. */
export function shortcutFor(e: KeyLike): ShortcutAction | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (e.altKey) return null;
  if (mod) {
    if (key === 's') return 'save';
    if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
    if (key === 'y') return 'redo';
    if (key === 'c' && !e.shiftKey) return 'copy';
    if (key === 'v' && !e.shiftKey) return 'paste';
    if (key === 'a' && !e.shiftKey) return 'selectAll';
    return null;
  }
  if (key === 'Delete' || key === 'Backspace') return 'delete';
  return null;
}

/** Keys typed into a field belong to the field, not to the canvas (except save). */
export function isEditableTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as { closest?: unknown }).closest !== 'function') return false;
  const el = target as Element;
  return el.closest('input, textarea, select, [contenteditable="true"], .cm-editor') !== null;
}
