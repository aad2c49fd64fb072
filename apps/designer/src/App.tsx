import { useEffect } from 'react';
import { setUnauthorizedHandler } from './api/client.ts';
import { Spinner } from './components/EmptyState.tsx';
import { Toasts } from './components/Toasts.tsx';
import { TopNav } from './components/TopNav.tsx';
import { AuditPage } from './pages/AuditPage.tsx';
import { ConnectionsPage } from './pages/ConnectionsPage.tsx';
import { FailuresPage } from './pages/FailuresPage.tsx';
import { FlowEditorPage } from './pages/FlowEditorPage.tsx';
import { FlowsPage } from './pages/FlowsPage.tsx';
import { KpiPage } from './pages/KpiPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { RunDetailPage } from './pages/RunDetailPage.tsx';
import { RunsPage } from './pages/RunsPage.tsx';
import { UsersPage } from './pages/UsersPage.tsx';
import { VersionsPage } from './pages/VersionsPage.tsx';
import { href, matchRoute, navigate, useHash } from './router.ts';
import type { Route } from './router.ts';
import { useSession } from './state/useSession.ts';
import { toastError } from './state/useToasts.ts';

function Page({ route }: { route: Route }) {
  switch (route.name) {
    case 'flows':
    case 'login':
      return <FlowsPage />;
    case 'flow':
      return <FlowEditorPage key={route.flowId} flowId={route.flowId} />;
    case 'versions':
      return <VersionsPage key={route.flowId} flowId={route.flowId} />;
    case 'runs':
      return <RunsPage query={route.query} />;
    case 'run':
      return <RunDetailPage key={route.runId} runId={route.runId} />;
    case 'failures':
      return <FailuresPage />;
    case 'connections':
      return <ConnectionsPage />;
    case 'users':
      return <UsersPage />;
    case 'kpis':
      return <KpiPage />;
    case 'audit':
      return <AuditPage />;
    case 'notFound':
      return (
        <div className="page">
          <h1>Not found</h1>
          <p>
            Nothing lives at <span className="mono">{route.path}</span>. <a href={href('/flows')}>Go to flows</a>.
          </p>
        </div>
      );
  }
}

export function App() {
  const route = matchRoute(useHash());
  const status = useSession((s) => s.status);

  useEffect(() => {
    setUnauthorizedHandler(() => useSession.getState().expire());
    useSession.getState().load().catch(toastError);
    return () => setUnauthorizedHandler(null);
  }, []);

  useEffect(() => {
    if (status === 'signedIn' && route.name === 'login') navigate('/flows', { replace: true });
  }, [status, route.name]);

  let body;
  if (status === 'loading') body = <Spinner label="Starting…" />;
  else if (status === 'anonymous') body = <LoginPage />;
  else
    body = (
      <div className={`app${route.name === 'flow' ? ' app-editor' : ''}`}>
        <TopNav route={route} />
        <main className="main">
          <Page route={route} />
        </main>
      </div>
    );
  return (
    <>
      {body}
      <Toasts />
    </>
  );
}
