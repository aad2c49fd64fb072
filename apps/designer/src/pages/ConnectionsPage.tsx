import { useEffect, useMemo, useState } from 'react';
import { api } from '../api/client.ts';
import type { ConnectionInput } from '../api/client.ts';
import type { Connection, ConnectorInfo } from '../api/types.ts';
import { EmptyState, Spinner, StatusPill } from '../components/EmptyState.tsx';
import { ConfirmDialog, Modal } from '../components/Modal.tsx';
import { CodeEditor } from '../editor/CodeEditor.tsx';
import { formatTime } from '../lib/format.ts';
import { useConnections } from '../state/useConnections.ts';
import { usePermissions } from '../state/useSession.ts';
import { toastError, toastSuccess } from '../state/useToasts.ts';

/** Whether a stored secret exists for `field` (the API says so per connection or per field). */
export function secretIsSet(conn: Pick<Connection, 'hasSecret'>, field: string): boolean {
  return typeof conn.hasSecret === 'boolean' ? conn.hasSecret : conn.hasSecret[field] === true;
}

/**
 * The connector's required settings and secrets this connection would be saved without, as
 * "Label (key)": named up front instead of the server's "body.config.tenantId: Invalid input…".
 * A secret already stored counts as given.
 */
function missingRequired(options: { info: ConnectorInfo | undefined; config: Record<string, unknown>; secretsTyped: Record<string, string>; secretIsStored(field: string): boolean }): string[] {
  const { info, config, secretsTyped, secretIsStored } = options;
  if (!info?.auth) return [];
  const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
  const missing: string[] = [];
  for (const [key, prop] of Object.entries(info.auth.props)) if (prop.required && blank(config[key])) missing.push(`${prop.label} (${key})`);
  for (const [key, prop] of Object.entries(info.auth.secrets)) if (prop.required && blank(secretsTyped[key]) && !secretIsStored(key)) missing.push(`${prop.label} (${key})`);
  return missing;
}

export function ConnectionsPage() {
  const perms = usePermissions();
  const { items, status, load } = useConnections();
  const [editing, setEditing] = useState<Connection | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Connection | null>(null);
  useEffect(() => {
    load(true).catch(toastError);
  }, [load]);

  async function remove(c: Connection) {
    try {
      await api.connections.remove(c.id);
      toastSuccess(`Deleted ${c.name}`);
      setDeleting(null);
      await load(true);
    } catch (err) {
      toastError(err);
    }
  }

  return (
    <div className="page">
      <header className="page-header">
        <h1>Connections</h1>
        {perms.manageConnections && (
          <button className="button button-primary" onClick={() => setEditing('new')} data-testid="new-connection">
            New connection
          </button>
        )}
      </header>
      {status === 'loading' && items.length === 0 ? (
        <Spinner />
      ) : items.length === 0 ? (
        <EmptyState title="No connections yet" testId="connections-empty">
          A connection holds the address and credentials of one system (a Shopify store, the ERP…). Flows pick one per connector node.
        </EmptyState>
      ) : (
        <table className="table" data-testid="connections-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Connector</th>
              <th>Secrets</th>
              <th>Status</th>
              <th>Updated</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id} data-testid={`connection-row-${c.id}`}>
                <td>
                  <strong>{c.name}</strong>
                  <div className="muted mono small">{c.id}</div>
                </td>
                <td className="mono">{c.connector}</td>
                <td>
                  {c.secretFields.length === 0 ? (
                    <span className="muted">none</span>
                  ) : (
                    c.secretFields.map((f) => (
                      <span key={f} className={`pill ${secretIsSet(c, f) ? 'pill-succeeded' : 'pill-warning'}`}>
                        {f}: {secretIsSet(c, f) ? 'set' : 'missing'}
                      </span>
                    ))
                  )}
                </td>
                <td>{c.status ? <StatusPill status={c.status} /> : <span className="muted">—</span>}</td>
                <td className="muted">{formatTime(c.updatedAt)}</td>
                <td className="row-actions">
                  {perms.manageConnections && (
                    <>
                      <button className="button button-small" onClick={() => setEditing(c)} data-testid={`edit-connection-${c.id}`}>
                        Edit
                      </button>
                      <button className="button button-small button-ghost" onClick={() => setDeleting(c)}>
                        Delete
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && <ConnectionDialog connection={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => void load(true).then(() => setEditing(null))} />}
      {deleting && (
        <ConfirmDialog
          title="Delete connection"
          message={`Delete ${deleting.name}? Flows using it fail at their next run until they pick another connection.`}
          confirmLabel="Delete"
          danger
          onConfirm={() => void remove(deleting)}
          onCancel={() => setDeleting(null)}
        />
      )}
    </div>
  );
}

function ConnectionDialog({ connection, onClose, onSaved }: { connection: Connection | null; onClose(): void; onSaved(): void }) {
  const [infos, setInfos] = useState<ConnectorInfo[]>([]);
  useEffect(() => {
    api.connectors().then(setInfos, toastError);
  }, []);
  const connectors = useMemo(() => infos.filter((c) => c.auth !== null || c.id !== 'core').map((c) => c.id).sort(), [infos]);
  const [name, setName] = useState(connection?.name ?? '');
  const [connector, setConnector] = useState(connection?.connector ?? '');
  const info = infos.find((c) => c.id === connector);
  const [configText, setConfigText] = useState(JSON.stringify(connection?.config ?? {}, null, 2));
  const secretFields = connection?.secretFields.length ? connection.secretFields : Object.keys(info?.auth?.secrets ?? {});
  const [replacing, setReplacing] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [triedSave, setTriedSave] = useState(false);

  function chooseConnector(id: string) {
    setConnector(id);
    setReplacing({});
    // A new connection starts from the connector's settings with their defaults filled in.
    const props = infos.find((c) => c.id === id)?.auth?.props ?? {};
    setConfigText(JSON.stringify(Object.fromEntries(Object.entries(props).filter(([, p]) => p.default !== undefined).map(([k, p]) => [k, p.default])), null, 2));
  }
  let config: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(configText || '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) config = parsed as Record<string, unknown>;
  } catch {
    config = null;
  }

  const missing = config ? missingRequired({ info, config, secretsTyped: replacing, secretIsStored: (f) => connection !== null && secretIsSet(connection, f) }) : [];

  async function save() {
    if (!config) return;
    setTriedSave(true);
    if (missing.length > 0) return;
    setBusy(true);
    // Only secrets typed in are sent; an untouched "•••••• (set)" keeps the stored value.
    const secrets = Object.fromEntries(Object.entries(replacing).filter(([, v]) => v !== ''));
    const input: ConnectionInput = { name: name.trim(), connector, config, ...(Object.keys(secrets).length ? { secrets } : {}) };
    try {
      if (connection) await api.connections.update(connection.id, input);
      else await api.connections.create(input);
      toastSuccess(`Saved ${input.name}`);
      onSaved();
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title={connection ? `Edit ${connection.name}` : 'New connection'}
      onClose={onClose}
      testId="connection-dialog"
      footer={
        <>
          <button className="button" onClick={onClose}>
            Cancel
          </button>
          <button className="button button-primary" disabled={busy || !config || !name.trim() || !connector} onClick={() => void save()} data-testid="connection-save">
            Save
          </button>
        </>
      }
    >
      <label className="field">
        <span className="field-label">Name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="shopify-main" data-testid="connection-name" />
      </label>
      <label className="field">
        <span className="field-label">Connector</span>
        <select value={connector} disabled={connection !== null} onChange={(e) => chooseConnector(e.target.value)} data-testid="connection-connector">
          <option value="">— choose —</option>
          {connectors.map((c) => (
            <option key={c} value={c}>
              {infos.find((i) => i.id === c)?.label || c}
            </option>
          ))}
          {connector && !connectors.includes(connector) && <option value={connector}>{connector}</option>}
        </select>
      </label>
      <div className="field">
        <span className="field-label">Settings (JSON, not secret)</span>
        <CodeEditor language="json" value={configText} onChange={setConfigText} minHeight={90} lineNumbers={false} testId="connection-config" />
        {!config && <div className="field-issue field-issue-error">Settings must be a JSON object.</div>}
        {info?.auth && Object.keys(info.auth.props).length > 0 && (
          <div className="field-help">
            {Object.entries(info.auth.props).map(([k, p]) => (
              <div key={k}>
                <span className="mono">{k}</span>
                {p.required ? ' (required)' : ''} — {p.label}
                {p.description ? `: ${p.description}` : ''}
              </div>
            ))}
          </div>
        )}
      </div>
      <h3 className="section-title">Secrets</h3>
      <p className="muted small">Secrets are write-only: they are encrypted at rest and never shown again.</p>
      {secretFields.map((f) => {
        const set = connection !== null && secretIsSet(connection, f);
        const isReplacing = f in replacing || !set;
        return (
          <div key={f} className="field secret-field" data-testid={`secret-${f}`}>
            <span className="field-label">
              {info?.auth?.secrets[f]?.label ?? f} <span className="muted mono small">{f}</span>
              {info?.auth?.secrets[f]?.required && <span className="required">*</span>}
            </span>
            {info?.auth?.secrets[f]?.description && <span className="field-help">{info.auth.secrets[f].description}</span>}
            <div className="secret-row">
              {isReplacing ? (
                <input type="password" autoComplete="new-password" value={replacing[f] ?? ''} placeholder={set ? 'new value' : 'value'} onChange={(e) => setReplacing({ ...replacing, [f]: e.target.value })} data-testid={`secret-input-${f}`} />
              ) : (
                <input type="text" disabled value="•••••• (set)" data-testid={`secret-placeholder-${f}`} />
              )}
              {set && !(f in replacing) && (
                <button className="button button-small" onClick={() => setReplacing({ ...replacing, [f]: '' })} data-testid={`secret-replace-${f}`}>
                  Replace
                </button>
              )}
              {set && f in replacing && (
                <button className="button button-small button-ghost" onClick={() => setReplacing(Object.fromEntries(Object.entries(replacing).filter(([k]) => k !== f)))}>
                  Keep current
                </button>
              )}
            </div>
          </div>
        );
      })}
      {secretFields.length === 0 && <p className="muted small">{connector ? 'This connector takes no secrets.' : 'Choose a connector to see its secret fields.'}</p>}
      {triedSave && missing.length > 0 && (
        <div className="banner banner-error" role="alert" data-testid="connection-missing">
          Required before saving: {missing.join(', ')}.
        </div>
      )}
    </Modal>
  );
}
