import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatIssuePath, hasErrors, migrateFlow, serializeFlow, validateFlow, type FlowDocumentInput, type FlowIssue } from '@tributary/flow';
import { checkExpression } from '@tributary/mapping';
import { isStoreError, type JsonValue, type Store } from '@tributary/store';
import { flowIdSchema } from '../api/schemas.ts';
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
    const published = flag(values, 'published');
    const { store, close } = await openCliStore(loadConfig());
    try {
      mkdirSync(dir, { recursive: true });
      let n = 0;
      const unpublished: string[] = [];
      const notObjects: string[] = [];
      for (const f of await store.listFlows()) {
        let doc: JsonValue = f.draft;
        if (published) {
          const v = f.currentVersion === null ? null : await store.getVersion(f.id, f.currentVersion);
          if (!v) {
            unpublished.push(f.id);
            continue;
          }
          doc = v.document;
        }
        if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
          notObjects.push(f.id);
          continue;
        }
        writeFileSync(path.join(dir, `${f.id}.json`), serializeFlow(exportable(doc, f) as FlowDocumentInput));
        n++;
      }
      out(`exported ${n} flow${n === 1 ? '' : 's'} to ${dir}`);
      if (unpublished.length) out(`skipped ${unpublished.length} flow(s) with no published version: ${unpublished.join(', ')}`);
      if (notObjects.length) {
        err(`tributary flows export: skipped ${notObjects.length} flow(s) whose stored ${published ? 'version' : 'draft'} is not a JSON object: ${notObjects.join(', ')}`);
        return EXIT.FAILURE;
      }
      return EXIT.OK;
    } finally {
      await close();
    }
  },
});

/**
 * The document to write for a flow: a draft saved by the designer or the API may be incomplete, but
 * the file always carries the flow's id and a name, so `flows import` takes it back as the same flow.
 */
function exportable(doc: { [key: string]: JsonValue }, f: { id: string; name: string }): JsonValue {
  const name = doc['name'];
  return { ...doc, id: f.id, name: typeof name === 'string' && name.trim() !== '' ? name : f.name };
}

/** Where `flows import` reads from: one file as given, or every *.json directly in a directory (which must be named <flowId>.json, as export writes them). */
function importFiles(target: string): { files: Array<{ file: string; label: string; fromDir: boolean }> } | { error: string } {
  let stat;
  try {
    stat = statSync(target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? `${target}: no such file or directory` : `cannot read ${target}: ${(e as Error).message}` };
  }
  if (stat.isFile()) return { files: [{ file: target, label: path.basename(target), fromDir: false }] };
  if (!stat.isDirectory()) return { error: `${target} is neither a file nor a directory` };
  let names: string[];
  try {
    names = readdirSync(target, { withFileTypes: true }).filter((d) => d.isFile() && d.name.endsWith('.json')).map((d) => d.name).sort();
  } catch (e) {
    return { error: `cannot read the directory ${target}: ${(e as Error).message}` };
  }
  if (names.length === 0) return { error: `no .json files in ${target}` };
  return { files: names.map((name) => ({ file: path.join(target, name), label: name, fromDir: true })) };
}

type ImportDoc = { ok: true; id: string; name: string; canonical: string; issues: FlowIssue[] } | { ok: false; issues: FlowIssue[] };

/**
 * A file's flow as `flows import` takes it: a complete document is migrated to the current format and
 * validated; one that is not complete yet (the designer and the API keep work in progress as drafts)
 * is taken as it is, like the API takes a draft, provided it has an id and a name.
 */
function readImportDoc(text: string, catalog: ReturnType<typeof catalogOf>): ImportDoc {
  const migrated = migrateFlow(text);
  if (migrated.ok) {
    const issues = validateFlow(migrated.flow, catalog, { checkExpression });
    return { ok: true, id: migrated.flow.id, name: migrated.flow.name, canonical: serializeFlow(migrated.flow), issues };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, issues: migrated.issues };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, issues: migrated.issues };
  const doc = raw as Record<string, unknown>;
  const problems: FlowIssue[] = [];
  const id = flowIdSchema.safeParse(doc['id']);
  if (!id.success) problems.push({ code: 'FLOW_SCHEMA', path: 'id', severity: 'error', message: doc['id'] === undefined ? 'the flow has no id; every flow file needs one (export writes it)' : `not a usable flow id: ${id.error.issues[0]?.message ?? 'invalid'}` });
  const name = typeof doc['name'] === 'string' ? doc['name'].trim() : '';
  if (name === '' || name.length > 200) problems.push({ code: 'FLOW_SCHEMA', path: 'name', severity: 'error', message: 'the flow needs a name (1 to 200 characters)' });
  for (const key of ['nodes', 'edges'] as const) {
    if (doc[key] !== undefined && !Array.isArray(doc[key])) problems.push({ code: 'FLOW_SCHEMA', path: key, severity: 'error', message: `${key} must be a list` });
  }
  if (!id.success || problems.length > 0) return { ok: false, issues: [...problems, ...migrated.issues.filter((i) => i.path !== 'id' && i.path !== 'name')] };
  return { ok: true, id: id.data, name, canonical: serializeFlow(doc as FlowDocumentInput), issues: migrated.issues };
}

export const flowsImport: AdminCommand = command({
  name: 'flows import',
  usage: 'flows import <file|dir> [--strict]',
  summary: 'create or update flow drafts from a flow file, or from the <flowId>.json files of a directory (as export writes them)',
  help: ['--strict   import only flows without errors (drafts with errors are refused and the exit code is 1)'],
  options: { strict: { type: 'boolean' } },
  positionals: ['file|dir'],
  async run({ values, positionals }) {
    const target = path.resolve(positionals[0]!);
    const strict = flag(values, 'strict');
    const found = importFiles(target);
    if ('error' in found) {
      err(`tributary flows import: ${found.error}`);
      return EXIT.FAILURE;
    }
    const { files } = found;
    const rt = await openCliRuntime(loadConfig());
    try {
      const catalog = catalogOf(rt);
      const counts = { created: 0, updated: 0, unchanged: 0, failed: 0 };
      let withErrors = 0;
      for (const { file, label, fromDir } of files) {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (e) {
          err(`${label}: cannot read ${file}: ${(e as Error).message}`);
          counts.failed++;
          continue;
        }
        const read = readImportDoc(text, catalog);
        for (const i of read.issues) err(issueLine(label, i));
        const errors = read.issues.filter((i) => i.severity !== 'warning').length;
        if (!read.ok) {
          counts.failed++;
          continue;
        }
        // In a directory the file name is the flow id, so two files cannot both claim one flow.
        if (fromDir && label !== `${read.id}.json`) {
          err(issueLine(label, { code: 'FLOW_SCHEMA', path: 'id', severity: 'error', message: `the file is named ${label} but the flow id is "${read.id}"; name it ${read.id}.json, or import the file by its path` }));
          counts.failed++;
          continue;
        }
        if (strict && errors > 0) {
          err(`${label}: not imported (--strict): the flow has ${errors} error(s)`);
          counts.failed++;
          continue;
        }
        const draft = JSON.parse(read.canonical) as JsonValue;
        const result = await upsertDraft(rt.store, { id: read.id, name: read.name, draft, canonical: read.canonical });
        if (result.kind === 'failed') {
          err(`${label}: ${result.message}`);
          counts.failed++;
          continue;
        }
        counts[result.kind]++;
        if (errors > 0) withErrors++;
        const note = errors > 0 ? ` (a draft with ${errors} error(s), listed above: \`tributary flows publish\` refuses it until they are fixed)` : '';
        out(`${label}: ${result.kind} ${read.id}${note}`);
        if (result.kind !== 'unchanged') await rt.store.appendAudit({ actor: cliActor(), action: result.kind === 'created' ? 'flow.create' : 'flow.import', targetType: 'flow', targetId: read.id, details: { ...cliDetails(), file: label } });
      }
      const drafts = withErrors > 0 ? ` (${withErrors} imported as draft(s) with errors)` : '';
      out(`imported ${files.length - counts.failed} of ${files.length} file(s): ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.failed} failed${drafts}`);
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
