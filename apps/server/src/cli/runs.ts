import { RUN_STATUSES, type Run, type RunStatus } from '@tributary/store';
import { loadConfig } from '../config.ts';
import { cliActor, cliDetails, command, err, EXIT, flag, openCliRuntime, openCliStore, out, str, type AdminCommand } from './shared.ts';

function row(r: Run): string[] {
  const ms = r.finishedAt ? r.finishedAt.getTime() - (r.startedAt ?? r.createdAt).getTime() : null;
  return [r.id, r.flowId, r.version === null ? 'draft' : `v${r.version}`, r.status, r.createdAt.toISOString(), ms === null ? '-' : `${ms}ms`, r.error?.code ?? ''];
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export const runsList: AdminCommand = command({
  name: 'runs list',
  usage: 'runs list [--flow ID] [--status S[,S…]] [--limit N] [--json]',
  summary: 'list runs, newest first',
  help: ['--flow ID       only runs of this flow', `--status S      only runs in these statuses (${RUN_STATUSES.join(', ')})`, '--limit N       at most N runs (1–500, default 20)', '--json          one JSON object per line'],
  options: { flow: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  positionals: [],
  async run({ values }) {
    const limitText = str(values, 'limit');
    const limit = limitText === undefined ? 20 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
      err('tributary runs list: --limit must be a whole number from 1 to 500');
      return EXIT.USAGE;
    }
    const statusText = str(values, 'status');
    const statuses = statusText === undefined ? undefined : statusText.split(',').map((s) => s.trim());
    const bad = statuses?.filter((s) => !(RUN_STATUSES as readonly string[]).includes(s)) ?? [];
    if (bad.length) {
      err(`tributary runs list: unknown status ${bad.map((s) => `"${s}"`).join(', ')}; use ${RUN_STATUSES.join(', ')}`);
      return EXIT.USAGE;
    }
    const { store, close } = await openCliStore(loadConfig());
    try {
      const flow = str(values, 'flow');
      const page = await store.listRuns({ limit, ...(flow ? { flowId: flow } : {}), ...(statuses ? { status: statuses as RunStatus[] } : {}) });
      if (flag(values, 'json')) {
        for (const r of page.items) out(JSON.stringify({ id: r.id, flowId: r.flowId, version: r.version, status: r.status, createdAt: r.createdAt, startedAt: r.startedAt, finishedAt: r.finishedAt, error: r.error, test: r.test }));
      } else if (page.items.length === 0) {
        out('no runs');
      } else {
        out(table([['RUN', 'FLOW', 'VERSION', 'STATUS', 'CREATED', 'DURATION', 'ERROR'], ...page.items.map(row)]));
      }
      return EXIT.OK;
    } finally {
      await close();
    }
  },
});

export const runsReplay: AdminCommand = command({
  name: 'runs replay',
  usage: 'runs replay <runId> [--from NODE] [--current]',
  summary: 'run the same event of a finished run again from the failed step (or --from NODE), on the same version (or --current)',
  help: ['--from NODE     re-run from this node; steps before it reuse their recorded outputs', '--current       use the flow\'s current published version instead of the run\'s'],
  options: { from: { type: 'string' }, current: { type: 'boolean' } },
  positionals: ['runId'],
  async run({ values, positionals }) {
    const config = loadConfig();
    const rt = await openCliRuntime(config);
    try {
      const from = str(values, 'from');
      let run;
      try {
        run = await rt.runtime.replay({ runId: positionals[0]!, ...(from ? { fromNode: from } : {}), version: flag(values, 'current') ? 'current' : 'same' });
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        if (code === 'RUN_NOT_FOUND' || code === 'REPLAY_INVALID' || code === 'CONFLICT') {
          err(`tributary runs replay: ${(e as Error).message}`);
          return EXIT.FAILURE;
        }
        throw e;
      }
      await rt.store.appendAudit({ actor: cliActor(), action: 'run.replay', targetType: 'run', targetId: positionals[0]!, details: { ...cliDetails(), newRunId: run.id, fromNode: from ?? null } });
      out(`queued replay ${run.id} of ${positionals[0]} (flow ${run.flowId} version ${run.version ?? '?'})${config.redisUrl ? '' : '; the embedded server runs it when it next starts'}`);
      return EXIT.OK;
    } finally {
      await rt.close();
    }
  },
});

export const runsCancel: AdminCommand = command({
  name: 'runs cancel',
  usage: 'runs cancel <runId>',
  summary: 'cancel a queued, running or waiting run (the process running it stops it; nothing after the step in hand runs)',
  help: [],
  options: {},
  positionals: ['runId'],
  async run({ positionals }) {
    const rt = await openCliRuntime(loadConfig());
    try {
      const runId = positionals[0]!;
      let run;
      try {
        run = await rt.runtime.cancelRun(runId, `the command line (${cliDetails().osUser})`);
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        if (code === 'RUN_NOT_FOUND' || code === 'CONFLICT') {
          err(`tributary runs cancel: ${(e as Error).message}`);
          return EXIT.FAILURE;
        }
        throw e;
      }
      await rt.store.appendAudit({ actor: cliActor(), action: 'run.cancel', targetType: 'run', targetId: runId, details: { ...cliDetails(), flowId: run.flowId } });
      out(`cancelled run ${runId} (flow ${run.flowId})`);
      return EXIT.OK;
    } finally {
      await rt.close();
    }
  },
});
