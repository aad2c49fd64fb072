import type { FlowIssue } from './errors.ts';
import { v0ToV1 } from './migrations/v0-to-v1.ts';
import { notAnObject, parseFlow, readJson } from './parse.ts';
import { CURRENT_SCHEMA_VERSION, type FlowDocument } from './schema.ts';
import { isPlainObject } from './util.ts';

export type MigrationStepResult = { ok: true; doc: Record<string, unknown> } | { ok: false; issues: FlowIssue[] };

/**
 * One step of the format's history: turns a document of version `from` into one of version `to`
 * (normally from + 1). A step works on plain JSON, never on the catalog, and reports what it
 * cannot convert as issues rather than throwing.
 */
export interface FlowMigration {
  from: number;
  to: number;
  /** Listed in MigrateFlowResult.applied. */
  name: string;
  migrate: (doc: Record<string, unknown>) => MigrationStepResult;
}

/** Every migration this build knows, keyed by the version it upgrades from. */
export const flowMigrations: ReadonlyMap<number, FlowMigration> = new Map([[v0ToV1.from, v0ToV1]]);

export type MigrateFlowResult = { ok: true; flow: FlowDocument; applied: string[] } | { ok: false; issues: FlowIssue[]; applied: string[] };

export interface MigrateFlowOptions {
  /** The migrations to use; defaults to flowMigrations. */
  migrations?: ReadonlyMap<number, FlowMigration>;
}

/**
 * Upgrades a flow document (JSON value or text) of any older format version to the current one,
 * step by step, then parses it. A current document is just parsed (`applied` is empty). A version
 * newer than this build, or one with no migration path, fails with FLOW_UNSUPPORTED_VERSION.
 */
export function migrateFlow(doc: unknown, options: MigrateFlowOptions = {}): MigrateFlowResult {
  const migrations = options.migrations ?? flowMigrations;
  const applied: string[] = [];
  const read = readJson(doc);
  if (!read.ok) return { ...read, applied };
  let current: unknown = read.value;
  for (;;) {
    if (!isPlainObject(current)) return { ok: false, issues: [notAnObject(current)], applied };
    const version = current['schemaVersion'];
    if (typeof version !== 'number' || !Number.isInteger(version) || version >= CURRENT_SCHEMA_VERSION) break;
    const step = migrations.get(version);
    if (!step || step.to <= version) {
      const message = `this flow uses format version ${version}, which this build cannot upgrade (it migrates from ${[...migrations.keys()].sort((a, b) => a - b).join(', ') || 'no version'}; current is ${CURRENT_SCHEMA_VERSION})`;
      return { ok: false, issues: [{ code: 'FLOW_UNSUPPORTED_VERSION', path: 'schemaVersion', severity: 'error', message }], applied };
    }
    const result = step.migrate(current);
    if (!result.ok) return { ok: false, issues: result.issues, applied };
    applied.push(step.name);
    current = result.doc;
  }
  const parsed = parseFlow(current);
  return parsed.ok ? { ok: true, flow: parsed.flow, applied } : { ok: false, issues: parsed.issues, applied };
}
