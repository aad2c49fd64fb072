import type { Route } from '../router.ts';
import { href } from '../router.ts';
import { useSession } from '../state/useSession.ts';
import { toastError } from '../state/useToasts.ts';

const ITEMS: Array<{ label: string; path: string; match: Array<Route['name']>; adminOnly?: boolean }> = [
  { label: 'Flows', path: '/flows', match: ['flows', 'flow', 'versions'] },
  { label: 'Runs', path: '/runs', match: ['runs', 'run'] },
  { label: 'Failures', path: '/failures', match: ['failures'] },
  { label: 'Connections', path: '/connections', match: ['connections'] },
  { label: 'Users', path: '/users', match: ['users'], adminOnly: true },
  { label: 'KPIs', path: '/kpis', match: ['kpis'] },
  { label: 'Audit', path: '/audit', match: ['audit'], adminOnly: true },
];

export function TopNav({ route }: { route: Route }) {
  const user = useSession((s) => s.user);
  const logout = useSession((s) => s.logout);
  return (
    <nav className="topnav" data-testid="topnav">
      <a className="brand" href={href('/flows')}>
        <span className="brand-mark" />
        Tributary
      </a>
      <div className="topnav-items">
        {ITEMS.filter((i) => !i.adminOnly || user?.role === 'admin').map((i) => (
          <a key={i.path} href={href(i.path)} className={`topnav-item${i.match.includes(route.name) ? ' active' : ''}`} data-testid={`nav-${i.label.toLowerCase()}`}>
            {i.label}
          </a>
        ))}
      </div>
      {user && (
        <div className="topnav-user">
          <span className="user-name" title={user.email}>
            {user.name || user.email}
          </span>
          <span className={`role-badge role-${user.role}`} data-testid="user-role">
            {user.role}
          </span>
          <button className="button button-ghost button-small" onClick={() => logout().catch(toastError)} data-testid="logout">
            Sign out
          </button>
        </div>
      )}
    </nav>
  );
}
