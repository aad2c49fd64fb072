import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatIssuePath, hasErrors, migrateFlow, serializeFlow, validateFlow, type FlowDocumentInput, type FlowIssue } from '@tributary/flow';
import { checkExpression } from '@tributary/mapping';
import { isStoreError, type JsonValue, type Store } from '@tributary/store';
import { loadConfig } from '../config.ts';
import { cliActor, cliDetails, command, err, EXIT, flag, openCliRuntime, openCliStore, out, str, type AdminCommand, type CliRuntime } from './shared.ts';

function issueLine(file: string, i: FlowIssue): string {
  const where = i.path === '' ? '(document)' : i.path;
  const at = i.line !== undefined ? ` (line ${i.line}, column ${i.column ?? 1})` : '';
  return `${file}: ${i.severity === 'warning' ? 'warning' : 'error'} ${i.code} at ${where}${at}: ${i.message}`;
}

function catalogOf(rt: CliRuntime) {
  return new Map(rt.registry.catalog().map((s) => [s.type, s]));
}

async function afterChange(rt: CliRuntime, flowId: string): Promise<void> {
  await rt.events.publish(flowId);
  await rt.runtime.syncSchedules(flowId);
}

export const flowsExport: AdminCommand = command({
  name: 'flows export',
  usage: 'flows export <dir> [--published]',
  summary: 'write every flow as canonical JSON, one <flowId>.json per flow, for git',
  help: ['--published   the current published version instead of the draft (unpublished flows are skipped)'],
  options: { published: { type: 'boolean' } },
  positionals: ['dir'],
  async run({ values, positionals }) {
    const dir = path.resolve(positionals[0]!);
    const { store, close } = await openCliStore(loadConfig());
    try {
      mkdirSync(dir, { recursive: true });
      let n = 0;
      for (const f of await store.listFlows()) {
        let doc: JsonValue = f.draft;
        if (flag(values, 'published')) {
          if (f.currentVersion === null) continue;
          const v = await store.getVersion(f.id, f.currentVersion);
          if (!v) continue;
          doc = v.document;
        }
        writeFileSync(path.join(dir, `${f.id}.json`), serializeFlow(doc as FlowDocumentInput));
        n++;
      }
      out(`exported ${n} flow${n === 1 ? '' : 's'} to ${dir}`);
      return EXIT.OK;
    } finally {
      await close();
    }
  },
});

export const flowsImport: AdminCommand = command({
  name: 'flows import',
  usage: 'flows import <dir>',
  summary: 'create or update flow drafts from <flowId>.json files; a file with any error is not imported',
  help: [],
  options: {},
  positionals: ['dir'],
  async run({ positionals }) {
    const dir = path.resolve(positionals[0]!);
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    } catch (e) {
      err(`tributary flows import: cannot read ${dir}: ${(e as Error).message}`);
      return EXIT.FAILURE;
    }
    if (files.length === 0) {
      err(`tributary flows import: no .json files in ${dir}`);
      return EXIT.FAILURE;
    }
    const rt = await openCliRuntime(loadConfig());
    try {
      const catalog = catalogOf(rt);
      const counts = { created: 0, updated: 0, unchanged: 0, failed: 0 };
      for (const file of files) {
        const text = readFileSync(path.join(dir, file), 'utf8');
        const migrated = migrateFlow(text);
        const issues = migrated.ok ? validateFlow(migrated.flow, catalog, { checkExpression }) : migrated.issues;
        if (migrated.ok && file !== `${migrated.flow.id}.json`) {
          issues.push({ code: 'FLOW_SCHEMA', path: 'id', severity: 'error', message: `the file is named ${file} but the flow id is "${migrated.flow.id}"; name it ${migrated.flow.id}.json` });
        }
        for (const i of issues) err(issueLine(file, i));
        if (!migrated.ok || hasErrors(issues)) {
          counts.failed++;
          continue;
        }
        const canonical = serializeFlow(migrated.flow);
        const draft = JSON.parse(canonical) as JsonValue;
        const result = await upsertDraft(rt.store, { id: migrated.flow.id, name: migrated.flow.name, draft, canonical });
        if (result.kind === 'failed') {
          err(`${file}: ${result.message}`);
          counts.failed++;
          continue;
        }
        counts[result.kind]++;
        out(`${file}: ${result.kind} ${migrated.flow.id}`);
        if (result.kind !== 'unchanged') await rt.store.appendAudit({ actor: cliActor(), action: result.kind === 'created' ? 'flow.create' : 'flow.import', targetType: 'flow', targetId: migrated.flow.id, details: { ...cliDetails(), file } });
      }
      out(`imported ${files.length - counts.failed} of ${files.length} file(s): ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.failed} failed`);
      return counts.failed > 0 ? EXIT.FAILURE : EXIT.OK;
    } finally {
      await rt.close();
    }
  },
});

async function upsertDraft(store: Store, f: { id: string; name: string; draft: JsonValue; canonical: string }): Promise<{ kind: 'created' | 'updated' | 'unchanged' } | { kind: 'failed'; message: string }> {
  const existing = await store.getFlow(f.id);
  try {
    if (!existing) {
      await store.createFlow({ id: f.id, name: f.name, draft: f.draft, by: cliActor() });
      return { kind: 'created' };
    }
    let same = false;
    try {
      same = serializeFlow(existing.draft as FlowDocumentInput) === f.canonical;
    } catch {
      same = false;
    }
    if (same) return { kind: 'unchanged' };
    await store.updateDraft({ id: f.id, rev: existing.rev, draft: f.draft, name: f.name, by: cliActor() });
    return { kind: 'updated' };
  } catch (e) {
    if (isStoreError(e) && e.code === 'STORE_DUPLICATE') return { kind: 'failed', message: `flow id "${f.id}" belongs to a deleted flow; give the flow another id` };
    if (isStoreError(e) && e.code === 'STORE_CONFLICT') return { kind: 'failed', message: `flow "${f.id}" was changed while importing; run the import again` };
    throw e;
  }
}

export const flowsPublish: AdminCommand = command({
  name: 'flows publish',
  usage: 'flows publish <flowId> [--note TEXT]',
  summary: 'publish the draft as the next version (refused while it has errors)',
  help: ['--note TEXT   what changed, shown in the version list'],
  options: { note: { type: 'string' } },
  positionals: ['flowId'],
  async run({ values, positionals }) {
    const id = positionals[0]!;
    const rt = await openCliRuntime(loadConfig());
    try {
      const flow = await rt.store.getFlow(id);
      if (!flow) {
        err(`tributary flows publish: no flow "${id}"`);
        return EXIT.FAILURE;
      }
      const issues = validateFlow(flow.draft, catalogOf(rt), { checkExpression });
      if (hasErrors(issues)) {
        for (const i of issues) err(issueLine(id, i));
        err(`tributary flows publish: not published; the draft has ${issues.filter((i) => i.severity !== 'warning').length} error(s)`);
        return EXIT.FAILURE;
      }
      const note = str(values, 'note');
      const v = await rt.store.publish({ flowId: id, by: cliActor(), rev: flow.rev, ...(note !== undefined ? { note } : {}) });
      await afterChange(rt, id);
      await rt.store.appendAudit({ actor: cliActor(), action: 'flow.publish', targetType: 'flow', targetId: id, details: { ...cliDetails(), version: v.version, note: v.note } });
      out(`published ${id} version ${v.version}${flow.enabled ? ' (enabled: new events use it now)' : ' (the flow is disabled; enable it to take events)'}`);
      return EXIT.OK;
    } finally {
      await rt.close();
    }
  },
});

function enableCommand(enabled: boolean): AdminCommand {
  const name = enabled ? 'flows enable' : 'flows disable';
  return command({
    name,
    usage: `${name} <flowId>`,
    summary: enabled ? 'enable a published flow in production' : 'disable a flow: its webhooks answer 404 and schedules stop; runs in flight finish',
    help: [],
    options: {},
    positionals: ['flowId'],
    async run({ positionals }) {
      const id = positionals[0]!;
      const rt = await openCliRuntime(loadConfig());
      try {
        if (!(await rt.store.getFlow(id))) {
          err(`tributary ${name}: no flow "${id}"`);
          return EXIT.FAILURE;
        }
        try {
          const flow = await rt.store.setEnabled({ id, enabled, by: cliActor() });
          await afterChange(rt, id);
          await rt.store.appendAudit({ actor: cliActor(), action: enabled ? 'flow.enable' : 'flow.disable', targetType: 'flow', targetId: id, details: { ...cliDetails(), version: flow.currentVersion } });
          out(`${enabled ? 'enabled' : 'disabled'} ${id}${flow.currentVersion !== null ? ` (version ${flow.currentVersion})` : ''}`);
          return EXIT.OK;
        } catch (e) {
          if (isStoreError(e) && e.code === 'STORE_CONFLICT') {
            err(`tributary ${name}: flow "${id}" has no published version; publish it first`);
            return EXIT.FAILURE;
          }
          throw e;
        }
      } finally {
        await rt.close();
      }
    },
  });
}

export const flowsEnable = enableCommand(true);
export const flowsDisable = enableCommand(false);
