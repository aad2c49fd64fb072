import { create } from 'zustand';
import { api, ApiError, setCsrfToken } from '../api/client.ts';
import type { Role, User } from '../api/types.ts';

type Status = 'loading' | 'anonymous' | 'signedIn';

interface SessionState {
  status: Status;
  user: User | null;
  /** Who was signed in when the server last answered 401 (the login page says the session expired). */
  expiredUserId: string | null;
  load(): Promise<void>;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
  expire(): void;
}

export const useSession = create<SessionState>()((set, get) => ({
  status: 'loading',
  user: null,
  expiredUserId: null,
  async load() {
    try {
      const s = await api.auth.me();
      setCsrfToken(s.csrfToken);
      set({ status: 'signedIn', user: s.user });
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
        setCsrfToken(null);
        set({ status: 'anonymous', user: null });
        return;
      }
      set({ status: 'anonymous', user: null });
      throw err;
    }
  },
  async login(email, password) {
    const s = await api.auth.login(email, password);
    setCsrfToken(s.csrfToken);
    // The login answer may omit the token; /auth/me always carries it.
    if (!s.csrfToken) {
      const me = await api.auth.me();
      setCsrfToken(me.csrfToken);
    }
    set({ status: 'signedIn', user: s.user, expiredUserId: null });
  },
  async logout() {
    try {
      await api.auth.logout();
    } finally {
      setCsrfToken(null);
      set({ status: 'anonymous', user: null, expiredUserId: null });
    }
  },
  expire() {
    setCsrfToken(null);
    const { user, expiredUserId } = get();
    set({ status: 'anonymous', user: null, expiredUserId: user?.id ?? expiredUserId });
  },
}));

/** What a role may do in the designer; the server enforces the same rules. */
export interface Permissions {
  role: Role;
  /** Edit and test flows (analyst, admin). Viewers get a read-only canvas. */
  editFlows: boolean;
  /** Publish, enable/disable, roll back, delete flows (admin). */
  publish: boolean;
  manageUsers: boolean;
  manageConnections: boolean;
  /** Replay a run, retry failed runs (analyst, admin). */
  replayRuns: boolean;
  /** Mark failures resolved (analyst, admin). */
  resolveFailures: boolean;
  /** Cancel a run that has not finished (admin: it stops production work). */
  cancelRuns: boolean;
  viewAudit: boolean;
}

export function permissionsFor(role: Role): Permissions {
  return {
    role,
    editFlows: role === 'admin' || role === 'analyst',
    publish: role === 'admin',
    manageUsers: role === 'admin',
    manageConnections: role === 'admin',
    replayRuns: role === 'admin' || role === 'analyst',
    resolveFailures: role === 'admin' || role === 'analyst',
    cancelRuns: role === 'admin',
    viewAudit: role === 'admin',
  };
}

export function usePermissions(): Permissions {
  const role = useSession((s) => s.user?.role ?? 'viewer');
  return permissionsFor(role);
}
