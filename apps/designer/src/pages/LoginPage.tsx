import { useState } from 'react';
import type { FormEvent } from 'react';
import { errorMessage } from '../api/client.ts';
import { hasDraftBackups, sessionBackupStorage } from '../state/draft-backup.ts';
import { useSession } from '../state/useSession.ts';

export function LoginPage() {
  const login = useSession((s) => s.login);
  const expiredUserId = useSession((s) => s.expiredUserId);
  // Read once: the editor that was open wrote its backup before this page replaced it.
  const [keptDrafts] = useState(() => {
    const storage = sessionBackupStorage();
    return expiredUserId !== null && storage !== null && hasDraftBackups(storage, expiredUserId);
  });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email, password);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login-page">
      <form className="login-card" onSubmit={submit} data-testid="login-form">
        <div className="brand login-brand">
          <span className="brand-mark" />
          Tributary
        </div>
        {expiredUserId !== null ? (
          <div className="banner banner-warning" role="status" data-testid="session-expired">
            {keptDrafts ? 'Your session has expired — sign in again; your unsaved changes are kept.' : 'Your session has expired — sign in again.'}
          </div>
        ) : (
          <p className="muted">Sign in to build and run your integration flows.</p>
        )}
        <label className="field">
          <span className="field-label">Email</span>
          <input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus data-testid="login-email" />
        </label>
        <label className="field">
          <span className="field-label">Password</span>
          <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required data-testid="login-password" />
        </label>
        {error && (
          <div className="form-error" role="alert" data-testid="login-error">
            {error}
          </div>
        )}
        <button className="button button-primary button-block" type="submit" disabled={busy} data-testid="login-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
