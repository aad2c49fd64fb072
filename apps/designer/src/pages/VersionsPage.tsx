import { useCallback, useEffect, useState } from 'react';
import { migrateFlow } from '@tributary/flow';
import type { FlowDocument } from '@tributary/flow';
import { api } from '../api/client.ts';
import type { FlowRecord, VersionSummary } from '../api/types.ts';
import { EmptyState, Spinner } from '../components/EmptyState.tsx';
import { ConfirmDialog } from '../components/Modal.tsx';
import { actorLabel } from '../lib/actor-label.ts';
import { formatTime } from '../lib/format.ts';
import { href } from '../router.ts';
import { usePermissions } from '../state/useSession.ts';
import { toastError, toastSuccess } from '../state/useToasts.ts';
import { EnableToggle } from './EnableToggle.tsx';
import { VersionDiff } from './VersionDiff.tsx';

/** `'draft'` or a version number. */
type Side = 'draft' | number;

async function loadDocument(flowId: string, side: Side, record: FlowRecord): Promise<FlowDocument> {
  const raw = side === 'draft' ? record.draft : (await api.flows.version(flowId, side)).document;
  const migrated = migrateFlow(raw);
  if (!migrated.ok) throw new Error(`${side === 'draft' ? 'The draft' : `Version ${side}`} cannot be read: ${migrated.issues[0]?.message ?? 'invalid document'}`);
  return migrated.flow;
}

function Author({ version }: { version: VersionSummary }) {
  const label = actorLabel({ id: version.publishedBy, name: version.publishedByName });
  return (
    <span title={label.title} data-testid={`version-author-${version.version}`}>
      {label.text}
    </span>
  );
}

/** Published versions of a flow, a diff between any two (or a version and the draft), and rollback. */
export function VersionsPage({ flowId }: { flowId: string }) {
  const perms = usePermissions();
  const [record, setRecord] = useState<FlowRecord | null>(null);
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [left, setLeft] = useState<Side | null>(null);
  const [right, setRight] = useState<Side | null>(null);
  const [docs, setDocs] = useState<{ before: FlowDocument; after: FlowDocument } | null>(null);
  const [rollingBack, setRollingBack] = useState<number | null>(null);
  /** "Changes" of the oldest version: there is nothing earlier to compare it with. */
  const [firstShown, setFirstShown] = useState<number | null>(null);

  const load = useCallback(async () => {
    try {
      const [rec, list] = await Promise.all([api.flows.get(flowId), api.flows.versions(flowId)]);
      const sorted = [...list].sort((a, b) => b.version - a.version);
      setRecord(rec);
      setVersions(sorted);
      const newest = sorted[0]?.version;
      setRight((r) => r ?? 'draft');
      setLeft((l) => l ?? newest ?? null);
    } catch (err) {
      toastError(err);
      setVersions([]);
    }
  }, [flowId]);
  useEffect(() => void load(), [load]);

  useEffect(() => {
    if (!record || left === null || right === null) return;
    setDocs(null);
    Promise.all([loadDocument(flowId, left, record), loadDocument(flowId, right, record)]).then(([before, after]) => setDocs({ before, after }), toastError);
  }, [flowId, record, left, right]);

  async function rollback(v: number) {
    try {
      await api.flows.rollback(flowId, v);
      toastSuccess(`Rolled back to v${v}`);
      setRollingBack(null);
      await load();
    } catch (err) {
      toastError(err);
    }
  }

  if (versions === null || !record) return <Spinner label="Loading versions…" />;
  const sideLabel = (s: Side) => (s === 'draft' ? 'Draft' : `v${s}`);
  const options: Side[] = ['draft', ...versions.map((v) => v.version)];
  // A version's changes are against the version published before it (versions are sorted newest first).
  const showChanges = (version: number) => {
    const earlier = versions.find((v) => v.version < version);
    if (!earlier) return setFirstShown(version);
    setFirstShown(null);
    setLeft(earlier.version);
    setRight(version);
  };
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <div className="breadcrumb">
            <a href={href('/flows')}>Flows</a> / <a href={href(`/flows/${encodeURIComponent(flowId)}`)}>{record.name ?? flowId}</a>
          </div>
          <h1>Versions</h1>
        </div>
        <div className="page-actions">
          <EnableToggle flow={{ id: record.id, name: record.name ?? record.id, enabled: record.enabled, currentVersion: record.currentVersion }} canToggle={perms.publish} onChanged={() => void load()} />
        </div>
      </header>
      {versions.length === 0 ? (
        <EmptyState title="Not published yet" testId="versions-empty">
          {perms.publish ? 'Publish the draft from the canvas to create version 1.' : 'An admin publishes versions from the canvas.'}
        </EmptyState>
      ) : (
        <table className="table" data-testid="versions-table">
          <thead>
            <tr>
              <th>Version</th>
              <th>Note</th>
              <th>Published</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version} data-testid={`version-row-${v.version}`}>
                <td>
                  <strong>v{v.version}</strong> {v.version === record.currentVersion && <span className="pill pill-info">current</span>}
                </td>
                <td>{v.note ?? <span className="muted">—</span>}</td>
                <td className="muted">
                  {formatTime(v.publishedAt ?? v.createdAt)} <Author version={v} />
                </td>
                <td className="row-actions">
                  <button className="button button-small" onClick={() => showChanges(v.version)} data-testid={`version-diff-${v.version}`}>
                    Changes
                  </button>
                  {perms.publish && v.version !== record.currentVersion && (
                    <button className="button button-small" onClick={() => setRollingBack(v.version)} data-testid={`version-rollback-${v.version}`}>
                      Roll back to this
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {firstShown !== null && (
        <section className="card diff-card" data-testid="version-first">
          <p className="muted">v{firstShown} is the first published version: there is nothing earlier to compare it with.</p>
          <button className="button button-small" onClick={() => setFirstShown(null)}>
            Compare versions
          </button>
        </section>
      )}
      {firstShown === null && left !== null && right !== null && (
        <section className="card diff-card">
          <div className="diff-pickers">
            Compare
            <select value={String(left)} onChange={(e) => setLeft(e.target.value === 'draft' ? 'draft' : Number(e.target.value))} data-testid="diff-left">
              {options.map((o) => (
                <option key={String(o)} value={String(o)}>
                  {sideLabel(o)}
                </option>
              ))}
            </select>
            with
            <select value={String(right)} onChange={(e) => setRight(e.target.value === 'draft' ? 'draft' : Number(e.target.value))} data-testid="diff-right">
              {options.map((o) => (
                <option key={String(o)} value={String(o)}>
                  {sideLabel(o)}
                </option>
              ))}
            </select>
          </div>
          {docs ? <VersionDiff before={docs.before} after={docs.after} beforeLabel={sideLabel(left)} afterLabel={sideLabel(right)} /> : <Spinner />}
        </section>
      )}
      {rollingBack !== null && (
        <ConfirmDialog
          title={`Roll back to v${rollingBack}`}
          message={`Make v${rollingBack} the version new events run on? Runs in flight keep their version; the draft is not changed.`}
          confirmLabel="Roll back"
          danger
          onConfirm={() => void rollback(rollingBack)}
          onCancel={() => setRollingBack(null)}
        />
      )}
    </div>
  );
}
