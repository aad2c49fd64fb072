import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { roleSchema } from '../api/types.ts';
import type { Role, User } from '../api/types.ts';
import { EmptyState, Spinner } from '../components/EmptyState.tsx';
import { ConfirmDialog, Modal } from '../components/Modal.tsx';
import { useSession, usePermissions } from '../state/useSession.ts';
import { toastError, toastSuccess } from '../state/useToasts.ts';

const ROLES: Array<{ value: Role; label: string; help: string }> = [
  { value: 'admin', label: 'Admin', help: 'everything: publish, enable/disable, users, credentials' },
  { value: 'analyst', label: 'Analyst', help: 'build and test flows, replay runs; no publishing or secrets' },
  { value: 'viewer', label: 'Viewer', help: 'read-only' },
];

export function UsersPage() {
  const perms = usePermissions();
  const me = useSession((s) => s.user);
  const [users, setUsers] = useState<User[] | null>(null);
  const [creating, setCreating] = useState(false);
  // Disabling signs the user out everywhere at once: one stray click on the checkbox must not do that.
  const [disabling, setDisabling] = useState<User | null>(null);
  const load = useCallback(() => {
    api.users.list().then(setUsers, (err: unknown) => {
      setUsers([]);
      toastError(err);
    });
  }, []);
  useEffect(load, [load]);

  async function update(u: User, patch: { role?: Role; disabled?: boolean }) {
    try {
      await api.users.update(u.id, patch);
      toastSuccess(`Updated ${u.email}`);
      load();
    } catch (err) {
      toastError(err);
    }
  }

  if (!perms.manageUsers) return <EmptyState title="Admins only">Ask an admin to change users and roles.</EmptyState>;
  return (
    <div className="page">
      <header className="page-header">
        <h1>Users and roles</h1>
        <button className="button button-primary" onClick={() => setCreating(true)} data-testid="new-user">
          Add user
        </button>
      </header>
      <ul className="role-legend">
        {ROLES.map((r) => (
          <li key={r.value}>
            <span className={`role-badge role-${r.value}`}>{r.label}</span> {r.help}
          </li>
        ))}
      </ul>
      {users === null ? (
        <Spinner />
      ) : (
        <table className="table" data-testid="users-table">
          <thead>
            <tr>
              <th>User</th>
              <th>Role</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-testid={`user-row-${u.email}`}>
                <td>
                  <strong>{u.name || u.email}</strong>
                  <div className="muted small">{u.email}</div>
                </td>
                <td>
                  <select value={u.role} disabled={u.id === me?.id} onChange={(e) => void update(u, { role: roleSchema.parse(e.target.value) })} data-testid={`user-role-${u.email}`}>
                    {ROLES.map((r) => (
                      <option key={r.value} value={r.value}>
                        {r.label}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <label className="checkbox">
                    <input
                      type="checkbox"
                      checked={u.disabled !== true}
                      disabled={u.id === me?.id}
                      onChange={(e) => (e.target.checked ? void update(u, { disabled: false }) : setDisabling(u))}
                      data-testid={`user-active-${u.email}`}
                    />
                    {u.disabled ? 'Disabled' : 'Active'}
                  </label>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {disabling && (
        <ConfirmDialog
          title="Disable user"
          message={
            <>
              Disable <strong>{disabling.name || disabling.email}</strong>? They are signed out everywhere at once and cannot sign in until an admin makes them active again.
            </>
          }
          confirmLabel="Disable"
          danger
          onConfirm={() => {
            const u = disabling;
            setDisabling(null);
            void update(u, { disabled: true });
          }}
          onCancel={() => setDisabling(null)}
        />
      )}
      {creating && (
        <NewUserDialog
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            load();
          }}
        />
      )}
    </div>
  );
}

function NewUserDialog({ onClose, onCreated }: { onClose(): void; onCreated(): void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('analyst');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  async function create() {
    setBusy(true);
    try {
      await api.users.create({ email: email.trim(), name: name.trim(), role, password });
      toastSuccess(`Added ${email}`);
      onCreated();
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal
      title="Add user"
      onClose={onClose}
      footer={
        <>
          <button className="button" onClick={onClose}>
            Cancel
          </button>
          <button className="button button-primary" disabled={busy || !email.includes('@') || password.length < 8} onClick={() => void create()} data-testid="user-create">
            Add
          </button>
        </>
      }
    >
      <label className="field">
        <span className="field-label">Email</span>
        <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} data-testid="user-email" />
      </label>
      <label className="field">
        <span className="field-label">Name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span className="field-label">Role</span>
        <select value={role} onChange={(e) => setRole(roleSchema.parse(e.target.value))}>
          {ROLES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">Initial password (at least 8 characters)</span>
        <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="user-password" />
      </label>
    </Modal>
  );
}
