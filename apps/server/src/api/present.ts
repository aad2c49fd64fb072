import type { ConnectorRegistry } from '@tributary/connector-sdk';
import type { ApiToken, AuditEntry, Connection, Flow, FlowVersionSummary, Run, Step, User } from '@tributary/store';

/** Store rows as the API shows them: no hashes, no ciphertext, no internals. */

export function userJson(u: User) {
  return { id: u.id, email: u.email, name: u.name, role: u.role, disabled: u.disabled, createdAt: u.createdAt, updatedAt: u.updatedAt };
}

export function flowSummaryJson(f: Flow) {
  return { id: f.id, name: f.name, enabled: f.enabled, currentVersion: f.currentVersion, rev: f.rev, updatedAt: f.updatedAt };
}

export function flowJson(f: Flow) {
  return { ...flowSummaryJson(f), draft: f.draft, createdAt: f.createdAt, createdBy: f.createdBy, updatedBy: f.updatedBy };
}

export function versionSummaryJson(v: FlowVersionSummary) {
  return { flowId: v.flowId, version: v.version, publishedAt: v.publishedAt, publishedBy: v.publishedBy, publishedByName: v.publishedByName, note: v.note };
}

export function runJson(r: Run, flowName: string | null) {
  const durationMs = r.finishedAt ? r.finishedAt.getTime() - (r.startedAt ?? r.createdAt).getTime() : null;
  return {
    id: r.id,
    flowId: r.flowId,
    flowName,
    version: r.version,
    status: r.status,
    triggerKind: r.triggerKind,
    priority: r.priority,
    attempt: r.attempt,
    error: r.error,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    durationMs,
    replayOf: r.replayOf,
    replayFromNode: r.replayFromNode,
    test: r.test,
  };
}

export function stepJson(s: Step) {
  return {
    nodeId: s.nodeId,
    status: s.status,
    attempt: s.attempt,
    input: s.input,
    output: s.output,
    inputTruncated: s.inputTruncated,
    outputTruncated: s.outputTruncated,
    inputPreview: s.inputPreview,
    outputPreview: s.outputPreview,
    error: s.error,
    logs: Array.isArray(s.logs) ? s.logs : [],
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    durationMs: s.durationMs,
  };
}

export function runDetailJson(r: Run & { steps: Step[] }, flowName: string | null) {
  return { ...runJson(r, flowName), trigger: r.trigger, steps: r.steps.map(stepJson) };
}

/** Secret field names a connector's connections take (from its auth spec in the registry). */
export function secretFieldsOf(registry: ConnectorRegistry, connector: string): string[] {
  return Object.keys(registry.connector(connector)?.auth?.secrets ?? {});
}

export function connectionJson(c: Connection, registry: ConnectorRegistry) {
  return {
    id: c.id,
    name: c.name,
    connector: c.connector,
    config: c.config,
    secretFields: secretFieldsOf(registry, c.connector),
    hasSecret: c.secretCiphertext !== null,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    createdBy: c.createdBy,
    updatedBy: c.updatedBy,
  };
}

export function tokenJson(t: ApiToken) {
  return { id: t.id, name: t.name, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt, revokedAt: t.revokedAt };
}

export function auditJson(a: AuditEntry) {
  return { id: a.id, at: a.at, actor: a.actor, actorName: a.actorName, actorEmail: a.actorEmail, action: a.action, targetType: a.targetType, targetId: a.targetId, details: a.details, ip: a.ip };
}
