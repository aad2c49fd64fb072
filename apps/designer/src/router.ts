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

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash, () => '');
}
