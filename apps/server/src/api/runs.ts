import { z } from 'zod';
import type { Run } from '@tributary/store';
import { HttpError } from '../http/errors.ts';
import type { Api } from './deps.ts';
import { runDetailJson, runJson } from './present.ts';
import type { ApiRoutes } from './route.ts';
import { bulkResultOut, cursorSchema, dateQuery, flowIdSchema, idSchema, limitSchema, nodeIdOrNull, pageOf, runDetailOut, runIdsBody, runOut, runStatusSchema } from './schemas.ts';
import { eachRun, isStoreCode } from './util.ts';

const statusList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(runStatusSchema).min(1))
  .describe('one status or several separated by commas, e.g. failed,cancelled');

const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

async function flowNames(api: Api): Promise<Map<string, string>> {
  return new Map((await api.store.listFlows({ includeDeleted: true })).map((f) => [f.id, f.name]));
}

function failedNodeOf(run: Run): string | null {
  const d = run.error?.details;
  if (d && typeof d === 'object' && !Array.isArray(d) && typeof d['nodeId'] === 'string') return d['nodeId'];
  return null;
}

/** Run history, run detail, replays, and the failure inbox. */
export function runRoutes(r: ApiRoutes, api: Api): void {
  const { store } = api;

  const page = async (input: Parameters<typeof store.listRuns>[0]) => {
    try {
      return await store.listRuns(input);
    } catch (err) {
      if (isStoreCode(err, 'STORE_INVALID_INPUT')) throw new HttpError('VALIDATION_FAILED', 'query.cursor: not a cursor this server gave out', [{ path: 'query.cursor', message: 'not a cursor this server gave out' }]);
      throw err;
    }
  };

  r.route(
    {
      method: 'get',
      path: '/runs',
      auth: 'viewer',
      summary: 'Runs, newest first, filtered and keyset-paginated',
      query: z.object({ flowId: flowIdSchema.optional(), status: statusList.optional(), from: dateQuery.optional(), to: dateQuery.optional(), test: boolQuery.optional(), cursor: cursorSchema, limit: limitSchema }),
      response: pageOf(runOut),
    },
    async ({ query }) => {
      const p = await page({
        ...(query.flowId ? { flowId: query.flowId } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.from ? { from: query.from } : {}),
        ...(query.to ? { to: query.to } : {}),
        ...(query.test !== undefined ? { test: query.test } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
        limit: query.limit ?? 50,
      });
      const names = await flowNames(api);
      return { items: p.items.map((run) => runJson(run, names.get(run.flowId) ?? null)), nextCursor: p.nextCursor };
    },
  );

  r.route({ method: 'get', path: '/runs/:id', auth: 'viewer', summary: 'A run with every step (input, output, error, logs, timings)', params: z.object({ id: idSchema }), response: runDetailOut, errors: [404] }, async ({ params }) => {
    const run = await api.runtime.runWithSteps(params.id);
    if (!run) throw new HttpError('RUN_NOT_FOUND', `no run ${params.id}`);
    const flow = await store.getFlow(run.flowId, { includeDeleted: true });
    return runDetailJson(run, flow?.name ?? null);
  });

  r.route(
    {
      method: 'post',
      path: '/runs/:id/replay',
      // DESIGN §1: analysts replay failed runs. Replays are safe to repeat (idempotency keys of the original event).
      // A run still queued or running is refused (409): it would run twice at once.
      auth: 'analyst',
      summary: 'Run the same event again from `fromNode` (default: the failed step) on the same or the current version; the run must have finished (409 while queued or running)',
      params: z.object({ id: idSchema }),
      body: z.object({ fromNode: nodeIdOrNull, version: z.enum(['same', 'current']).optional() }).strict(),
      response: z.object({ run: runOut }),
      status: 202,
      errors: [404, 409, 422],
    },
    async ({ params, body, principal, req }) => {
      const run = await api.runtime.replay({ runId: params.id, ...(body.fromNode ? { fromNode: body.fromNode } : {}), ...(body.version ? { version: body.version } : {}) });
      await api.audit({ req, actor: principal, action: 'run.replay', targetType: 'run', targetId: params.id, details: { newRunId: run.id, fromNode: body.fromNode ?? null, version: body.version ?? 'same' } });
      const flow = await store.getFlow(run.flowId, { includeDeleted: true });
      return { run: runJson(run, flow?.name ?? null) };
    },
  );

  r.route(
    {
      method: 'post',
      path: '/runs/:id/cancel',
      // Stopping production work is an admin's call, like disabling a flow (analysts replay and retry).
      auth: 'admin',
      summary: 'Cancel a queued, running or waiting run: it is recorded as cancelled at once; a step in progress is aborted and nothing after it runs (409 once the run has finished)',
      params: z.object({ id: idSchema }),
      response: z.object({ run: runOut }),
      errors: [404, 409],
    },
    async ({ params, principal, req }) => {
      const run = await api.runtime.cancelRun(params.id, principal.user.name ? `${principal.user.name} <${principal.user.email}>` : principal.user.email);
      await api.audit({ req, actor: principal, action: 'run.cancel', targetType: 'run', targetId: params.id, details: { flowId: run.flowId } });
      const flow = await store.getFlow(run.flowId, { includeDeleted: true });
      return { run: runJson(run, flow?.name ?? null) };
    },
  );

  r.route(
    {
      method: 'get',
      path: '/failures',
      auth: 'viewer',
      summary: 'The failure inbox: production runs that failed and are not resolved, newest first',
      query: z.object({ flowId: flowIdSchema.optional(), cursor: cursorSchema, limit: limitSchema }),
      response: pageOf(runOut.extend({ failedNode: z.string().nullable() })),
    },
    async ({ query }) => {
      const p = await page({ status: ['failed'], test: false, ...(query.flowId ? { flowId: query.flowId } : {}), ...(query.cursor ? { cursor: query.cursor } : {}), limit: query.limit ?? 100 });
      const names = await flowNames(api);
      return { items: p.items.map((run) => ({ ...runJson(run, names.get(run.flowId) ?? null), failedNode: failedNodeOf(run) })), nextCursor: p.nextCursor };
    },
  );

  r.route(
    {
      method: 'post',
      path: '/failures/retry',
      auth: 'analyst',
      summary: 'Replay each failed run from its failed step on the current version; the failure is then resolved',
      body: runIdsBody.extend({ version: z.enum(['same', 'current']).optional() }).strict(),
      response: bulkResultOut,
    },
    async ({ body, principal, req }) => {
      const results = await eachRun(body.runIds, async (runId) => {
        // The replay and the failure's resolution are one transaction: a retry that loses a race with
        // another retry (or a resolve) creates nothing and reports CONFLICT.
        const replay = await api.runtime.replay({ runId, version: body.version ?? 'current', resolveFailure: true });
        await api.audit({ req, actor: principal, action: 'run.retry', targetType: 'run', targetId: runId, details: { newRunId: replay.id } });
        return replay.id;
      });
      return { results: results.map((x) => (x.ok ? { runId: x.runId, ok: true, newRunId: x.value } : { runId: x.runId, ok: false, error: x.error })) };
    },
  );

  r.route(
    { method: 'post', path: '/failures/resolve', auth: 'analyst', summary: 'Mark failed runs resolved (they leave the inbox; nothing is re-run)', body: runIdsBody, response: bulkResultOut },
    async ({ body, principal, req }) => {
      const results = await eachRun(body.runIds, async (runId) => {
        const run = await store.getRun(runId);
        if (!run) throw new HttpError('RUN_NOT_FOUND', `no run ${runId}`);
        if (run.status !== 'failed') throw new HttpError('CONFLICT', `run ${runId} is ${run.status}, not failed`);
        await store.updateRun({ id: runId, status: 'resolved', expectStatus: ['failed'] });
        await api.audit({ req, actor: principal, action: 'run.resolve', targetType: 'run', targetId: runId });
        return runId;
      });
      return { results: results.map((x) => (x.ok ? { runId: x.runId, ok: true } : { runId: x.runId, ok: false, error: x.error })) };
    },
  );
}
