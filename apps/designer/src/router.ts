import { useSyncExternalStore } from 'react';

/**
 * A tiny hash router: `#/flows/abc` → `{ name: 'flow', params: { flowId: 'abc' } }`. Hash routing
 * means the server needs no index.html fallback for deep links; it only serves dist/ at `/`.
 */
export type Route =
  | { name: 'login' }
  | { name: 'flows' }
  | { name: 'flow'; flowId: string }
  | { name: 'versions'; flowId: string }
  | { name: 'runs'; query: URLSearchParams }
  | { name: 'run'; runId: string }
  | { name: 'failures' }
  | { name: 'connections' }
  | { name: 'users' }
  | { name: 'kpis' }
  | { name: 'audit' }
  | { name: 'notFound'; path: string };

export function matchRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/flows';
  const [pathPart = '/', queryPart = ''] = raw.split('?');
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  const [a, b, c] = parts;
  if (parts.length === 0) return { name: 'flows' };
  if (a === 'login' && parts.length === 1) return { name: 'login' };
  if (a === 'flows') {
    if (parts.length === 1) return { name: 'flows' };
    if (b && parts.length === 2) return { name: 'flow', flowId: b };
    if (b && c === 'versions' && parts.length === 3) return { name: 'versions', flowId: b };
  }
  if (a === 'runs') {
    if (parts.length === 1) return { name: 'runs', query: new URLSearchParams(queryPart) };
    if (b && parts.length === 2) return { name: 'run', runId: b };
  }
  if (parts.length === 1) {
    if (a === 'failures') return { name: 'failures' };
    if (a === 'connections') return { name: 'connections' };
    if (a === 'users') return { name: 'users' };
    if (a === 'kpis') return { name: 'kpis' };
    if (a === 'audit') return { name: 'audit' };
  }
  return { name: 'notFound', path: pathPart };
}

export function href(path: string): string {
  return `#${path.startsWith('/') ? path : `/${path}`}`;
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const target = href(path);
  if (options.replace) {
    history.replaceState(null, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else window.location.hash = target;
}

/**
 * Decides whether the app may leave the current page for `to` (a hash); may take its time (the
 * editor saves first). Refusing keeps the current page and its URL.
 */
export type LeaveGuard = (to: string) => boolean | Promise<boolean>;

let leaveGuard: LeaveGuard | null = null;
/** The hash the app shows; differs from `location.hash` only while a leave guard is deciding. */
let shownHash: string | null = null;
let deciding = false;
const listeners = new Set<() => void>();

/**
 * Installs the guard asked before every route change (one at a time: the page being left owns it).
 * Returns the function that removes it again.
 */
export function setLeaveGuard(guard: LeaveGuard): () => void {
  leaveGuard = guard;
  return () => {
    if (leaveGuard === guard) leaveGuard = null;
  };
}

function show(hash: string): void {
  shownHash = hash;
  for (const l of listeners) l();
}

/** Puts `hash` into the address bar without a hashchange (replacing the entry the browser just added). */
function writeUrl(hash: string): void {
  history.replaceState(history.state, '', hash || `${location.pathname}${location.search}`);
}

function onHashChange(): void {
  const next = window.location.hash;
  const from = shownHash;
  if (from === null || next === from) return show(next);
  // While a guard decides, the address bar keeps the page being shown.
  if (deciding) return writeUrl(from);
  const guard = leaveGuard;
  if (!guard) return show(next);
  writeUrl(from);
  deciding = true;
  Promise.resolve()
    .then(() => guard(next))
    .catch((err: unknown) => {
      // A broken guard keeps the page (and its unsaved work) rather than leaving; the error still surfaces.
      reportError(err);
      return false;
    })
    .then((allowed) => {
      deciding = false;
      if (!allowed) return;
      writeUrl(next);
      show(next);
    });
}

function subscribe(onChange: () => void): () => void {
  if (listeners.size === 0) {
    shownHash = window.location.hash;
    window.addEventListener('hashchange', onHashChange);
  }
  listeners.add(onChange);
  return () => {
    listeners.delete(onChange);
    if (listeners.size === 0) window.removeEventListener('hashchange', onHashChange);
  };
}

export function useHash(): string {
  return useSyncExternalStore(subscribe, () => shownHash ?? window.location.hash, () => '');
}
