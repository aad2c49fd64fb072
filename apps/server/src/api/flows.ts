import { z } from 'zod';
import { flowDocumentSchema, hasErrors, parseFlow, serializeFlow, type FlowDocumentInput } from '@tributary/flow';
import { newId, type JsonValue } from '@tributary/store';
import { HttpError } from '../http/errors.ts';
import { hasBlockingIssues, type Api, type ValidationIssue } from './deps.ts';
import { diffFlows } from './diff.ts';
import { flowJson, flowSummaryJson, runDetailJson, versionSummaryJson } from './present.ts';
import type { ApiRoutes } from './route.ts';
import { flowIdSchema, flowOut, flowSummaryOut, isoDate, issueOut, listOf, runDetailOut, versionNumberSchema, versionSummaryOut } from './schemas.ts';
import { flowChanged, flowOr404, isStoreCode } from './util.ts';

const FLOW_BODY_LIMIT = '2mb';

/**
 * A draft as stored: any flow-shaped object, valid or not yet (the designer saves work in progress),
 * as long as it has a name and, when given, an id that fits. Full checks are /validate and publish.
 */
export const draftSchema = z
  .looseObject({
    schemaVersion: z.number().int().optional(),
    id: flowIdSchema.optional(),
    name: z.string().trim().min(1, 'flow name must not be empty').max(200),
    nodes: z.array(z.unknown()).max(1000).optional(),
    edges: z.array(z.unknown()).max(5000).optional(),
  })
  .describe('flow document (DESIGN §3); drafts may be incomplete');

const idParams = z.object({ id: flowIdSchema });
const versionParams = z.object({ id: flowIdSchema, v: versionNumberSchema });
const diffSide = z.union([z.literal('draft'), versionNumberSchema]);

function rejectIssues(issues: ValidationIssue[], what: string): never {
  const errors = issues.filter((i) => i.severity !== 'warning');
  throw new HttpError('FLOW_INVALID', `${what}: the flow has ${errors.length} problem(s), first: ${errors[0]?.path || '(document)'}: ${errors[0]?.message ?? ''}`, { issues });
}

/** Everything that stops a document going live: its own issues, and its connections' as errors. */
async function liveIssues(api: Api, doc: unknown): Promise<ValidationIssue[]> {
  return [...api.validate(doc), ...(await api.checkConnections(doc, { severity: 'error' }))];
}

function canonical(doc: unknown): string {
  try {
    return serializeFlow(doc as FlowDocumentInput);
  } catch {
    return `${JSON.stringify(doc, null, 2)}\n`;
  }
}

/** Flows: drafts, validation, publishing and versions, enable/disable, test runs, trigger state. */
export function flowRoutes(r: ApiRoutes, api: Api): void {
  const { store } = api;

  r.route({ method: 'get', path: '/flows', auth: 'viewer', summary: 'List flows', response: listOf(flowSummaryOut) }, async () => ({
    items: (await store.listFlows()).map(flowSummaryJson),
  }));

  r.route(
    {
      method: 'post',
      path: '/flows',
      auth: 'analyst',
      summary: 'Create a flow from a draft (the id is generated when the draft has none)',
      body: z.object({ draft: draftSchema }).strict(),
      response: flowOut,
      status: 201,
      bodyLimit: FLOW_BODY_LIMIT,
      errors: [409],
    },
    async ({ body, principal, req }) => {
      const id = body.draft.id ?? newId('flw');
      const draft = { ...body.draft, id } as JsonValue;
      try {
        const flow = await store.createFlow({ id, name: body.draft.name, draft, by: principal.user.id });
        await api.audit({ req, actor: principal, action: 'flow.create', targetType: 'flow', targetId: flow.id, details: { name: flow.name } });
        return flowJson(flow);
      } catch (err) {
        if (isStoreCode(err, 'STORE_DUPLICATE')) throw new HttpError('CONFLICT', `a flow with id "${id}" already exists (or existed: deleted flows keep their id); choose another id`, { path: 'body.draft.id' });
        throw err;
      }
    },
  );

  r.route({ method: 'get', path: '/flows/:id', auth: 'viewer', summary: 'A flow with its draft', params: idParams, response: flowOut, errors: [404] }, async ({ params }) =>
    flowJson(await flowOr404(api, params.id)),
  );

  r.route(
    {
      method: 'put',
      path: '/flows/:id',
      auth: 'analyst',
      summary: 'Save the draft; `rev` is the rev you last read (409 FLOW_REV_CONFLICT when someone saved since)',
      params: idParams,
      body: z.object({ draft: draftSchema, rev: z.number().int().min(0) }).strict(),
      response: flowOut,
      bodyLimit: FLOW_BODY_LIMIT,
      errors: [404, 409],
    },
    async ({ params, body, principal }) => {
      if (body.draft.id !== undefined && body.draft.id !== params.id) {
        throw new HttpError('VALIDATION_FAILED', `body.draft.id: the draft's id "${body.draft.id}" is not this flow's id "${params.id}"`, [{ path: 'body.draft.id', message: `must be "${params.id}"` }]);
      }
      const draft = { ...body.draft, id: params.id } as JsonValue;
      try {
        return flowJson(await store.updateDraft({ id: params.id, rev: body.rev, draft, name: body.draft.name, by: principal.user.id }));
      } catch (err) {
        if (isStoreCode(err, 'STORE_NOT_FOUND')) throw new HttpError('FLOW_NOT_FOUND', `no flow "${params.id}"`);
        if (isStoreCode(err, 'STORE_CONFLICT')) {
          const current = await store.getFlow(params.id);
          throw new HttpError('FLOW_REV_CONFLICT', `the flow was saved by someone else since rev ${body.rev}; reload it (now at rev ${current?.rev ?? '?'})`, { rev: body.rev, currentRev: current?.rev ?? null });
        }
        throw err;
      }
    },
  );

  r.route({ method: 'delete', path: '/flows/:id', auth: 'admin', summary: 'Delete a flow (disables it; versions, runs and audit stay)', params: idParams, errors: [404] }, async ({ params, principal, req }) => {
    await flowOr404(api, params.id);
    await store.deleteFlow(params.id, principal.user.id);
    await flowChanged(api, params.id);
    await api.audit({ req, actor: principal, action: 'flow.delete', targetType: 'flow', targetId: params.id });
    return undefined;
  });

  r.route(
    {
      method: 'post',
      path: '/flows/:id/validate',
      auth: 'analyst',
      summary: 'Every issue of the stored draft (or of `draft` when given) against the installed node types; connections it names that are missing, of the wrong connector or without a webhook secret are warnings here (errors when publishing or enabling)',
      params: idParams,
      body: z.object({ draft: z.unknown().optional() }).strict(),
      response: z.object({ issues: z.array(issueOut) }),
      bodyLimit: FLOW_BODY_LIMIT,
      errors: [404],
    },
    async ({ params, body }) => {
      const flow = await flowOr404(api, params.id);
      const doc = body.draft ?? flow.draft;
      return { issues: [...api.validate(doc), ...(await api.checkConnections(doc, { severity: 'warning' }))] };
    },
  );

  r.route(
    {
      method: 'post',
      path: '/flows/:id/publish',
      auth: 'admin',
      summary: 'Publish the draft as the next version and make it current (422 FLOW_INVALID with issues while it has errors)',
      params: idParams,
      body: z.object({ note: z.string().max(2000).optional(), rev: z.number().int().min(0).optional().describe('publish only if the draft is still at this rev') }).strict(),
      response: versionSummaryOut,
      status: 201,
      errors: [404, 409, 422],
    },
    async ({ params, body, principal, req }) => {
      const flow = await flowOr404(api, params.id);
      const issues = await liveIssues(api, flow.draft);
      if (hasBlockingIssues(issues)) rejectIssues(issues, 'not published');
      try {
        const v = await store.publish({ flowId: flow.id, by: principal.user.id, rev: body.rev ?? flow.rev, ...(body.note !== undefined ? { note: body.note } : {}) });
        await flowChanged(api, flow.id);
        await api.audit({ req, actor: principal, action: 'flow.publish', targetType: 'flow', targetId: flow.id, details: { version: v.version, note: v.note } });
        return versionSummaryJson(v);
      } catch (err) {
        if (isStoreCode(err, 'STORE_CONFLICT')) throw new HttpError('FLOW_REV_CONFLICT', 'the draft changed while publishing; validate and publish again');
        throw err;
      }
    },
  );

  r.route({ method: 'get', path: '/flows/:id/versions', auth: 'viewer', summary: 'Published versions, newest first', params: idParams, response: listOf(versionSummaryOut), errors: [404] }, async ({ params }) => {
    await flowOr404(api, params.id);
    return { items: (await store.listVersions(params.id)).map(versionSummaryJson) };
  });

  r.route(
    { method: 'get', path: '/flows/:id/versions/:v', auth: 'viewer', summary: 'One published version with its document', params: versionParams, response: versionSummaryOut.extend({ document: flowDocumentSchema }), errors: [404] },
    async ({ params }) => {
      const v = await store.getVersion(params.id, params.v);
      if (!v) throw new HttpError('VERSION_NOT_FOUND', `flow "${params.id}" has no version ${params.v}`);
      return { ...versionSummaryJson(v), document: v.document };
    },
  );

  r.route(
    {
      method: 'get',
      path: '/flows/:id/versions/:a/diff/:b',
      auth: 'viewer',
      summary: 'What changed from version a to version b (either may be `draft`): nodes, edges and a line diff of the canonical texts',
      params: z.object({ id: flowIdSchema, a: diffSide, b: diffSide }),
      response: z.object({
        from: z.union([z.number(), z.literal('draft')]),
        to: z.union([z.number(), z.literal('draft')]),
        nodes: z.object({ added: z.array(z.string()), removed: z.array(z.string()), changed: z.array(z.string()), moved: z.array(z.string()) }),
        edges: z.object({ added: z.array(z.string()), removed: z.array(z.string()) }),
        fields: z.array(z.string()),
        lines: z.array(z.object({ op: z.enum(['equal', 'add', 'remove']), text: z.string() })),
        stats: z.object({ added: z.number(), removed: z.number() }),
      }),
      errors: [404],
    },
    async ({ params }) => {
      const flow = await flowOr404(api, params.id);
      const doc = async (side: number | 'draft'): Promise<unknown> => {
        if (side === 'draft') return flow.draft;
        const v = await store.getVersion(flow.id, side);
        if (!v) throw new HttpError('VERSION_NOT_FOUND', `flow "${flow.id}" has no version ${side}`);
        return v.document;
      };
      const a = await doc(params.a);
      const b = await doc(params.b);
      return { from: params.a, to: params.b, ...diffFlows({ a, b, aText: canonical(a), bText: canonical(b) }) };
    },
  );

  r.route(
    {
      method: 'post',
      path: '/flows/:id/versions/:v/rollback',
      auth: 'admin',
      summary: 'Publish an old version\'s document again as a new version (the draft is kept as it is)',
      params: versionParams,
      body: z.object({ note: z.string().max(2000).optional() }).strict(),
      response: versionSummaryOut,
      status: 201,
      errors: [404, 409, 422],
    },
    async ({ params, body, principal, req }) => {
      const flow = await flowOr404(api, params.id);
      const old = await store.getVersion(flow.id, params.v);
      if (!old) throw new HttpError('VERSION_NOT_FOUND', `flow "${flow.id}" has no version ${params.v}`);
      const issues = await liveIssues(api, old.document);
      if (hasBlockingIssues(issues)) rejectIssues(issues, `version ${params.v} no longer validates against the installed node types and connections`);
      // The store publishes the draft, so: put the old document in the draft, publish, put the draft back.
      const staged = await store.updateDraft({ id: flow.id, rev: flow.rev, draft: old.document, by: principal.user.id }).catch((err: unknown) => {
        if (isStoreCode(err, 'STORE_CONFLICT')) throw new HttpError('FLOW_REV_CONFLICT', 'the draft changed during the rollback; try again');
        throw err;
      });
      const v = await store.publish({ flowId: flow.id, by: principal.user.id, rev: staged.rev, note: body.note ?? `rollback to version ${params.v}` });
      await store.updateDraft({ id: flow.id, rev: staged.rev, draft: flow.draft, name: flow.name, by: principal.user.id });
      await flowChanged(api, flow.id);
      await api.audit({ req, actor: principal, action: 'flow.rollback', targetType: 'flow', targetId: flow.id, details: { from: params.v, version: v.version } });
      return versionSummaryJson(v);
    },
  );

  for (const enabled of [true, false]) {
    r.route(
      {
        method: 'post',
        path: `/flows/:id/${enabled ? 'enable' : 'disable'}`,
        auth: 'admin',
        summary: enabled
          ? 'Enable the flow in production (needs a published version whose connections exist, fit and have their webhook secret: 422 FLOW_INVALID otherwise)'
          : 'Disable the flow: webhooks answer 404, schedules stop; runs in flight finish',
        params: idParams,
        response: flowOut,
        errors: enabled ? [404, 409, 422] : [404, 409],
      },
      async ({ params, principal, req }) => {
        const current = await flowOr404(api, params.id);
        if (enabled && current.currentVersion !== null) {
          // Connections may have been deleted or changed since the version was published.
          const version = await store.getVersion(current.id, current.currentVersion);
          const issues = version ? await api.checkConnections(version.document, { severity: 'error' }) : [];
          if (hasBlockingIssues(issues)) rejectIssues(issues, `not enabled (version ${current.currentVersion})`);
        }
        try {
          const flow = await store.setEnabled({ id: params.id, enabled, by: principal.user.id });
          await flowChanged(api, flow.id);
          await api.audit({ req, actor: principal, action: enabled ? 'flow.enable' : 'flow.disable', targetType: 'flow', targetId: flow.id, details: { version: flow.currentVersion } });
          return flowJson(flow);
        } catch (err) {
          if (isStoreCode(err, 'STORE_CONFLICT')) throw new HttpError('FLOW_NOT_PUBLISHED', `flow "${params.id}" has no published version; publish it first`);
          throw err;
        }
      },
    );
  }

  r.route(
    {
      method: 'post',
      path: '/flows/:id/test',
      auth: 'analyst',
      summary: 'Run the draft (or `draft`) now with a sample event; connectors are real. Returns the run with its steps',
      params: idParams,
      body: z.object({ payload: z.unknown().describe('the trigger event'), draft: draftSchema.optional() }).strict(),
      verbatim: ['payload'],
      response: z.object({ run: runDetailOut }),
      bodyLimit: FLOW_BODY_LIMIT,
      errors: [404, 422],
    },
    async ({ params, body, principal, req }) => {
      const flow = await flowOr404(api, params.id);
      const source: unknown = body.draft ?? flow.draft;
      const issues = api.validate(source);
      if (hasErrors(issues)) rejectIssues(issues, 'not run');
      const parsed = parseFlow(source);
      if (!parsed.ok) rejectIssues(parsed.issues, 'not run');
      const run = await api.runtime.testRun({ flowId: flow.id, draft: parsed.flow, payload: (body.payload ?? null) as JsonValue });
      api.log.info({ flowId: flow.id, runId: run.id, status: run.status, userId: principal.user.id, ip: req.ip }, 'test run');
      return { run: runDetailJson(run, flow.name) };
    },
  );

  r.route(
    {
      method: 'get',
      path: '/flows/:id/state',
      auth: 'viewer',
      summary: 'Stored trigger state such as polling watermarks',
      params: idParams,
      response: listOf(z.object({ key: z.string(), value: z.unknown(), updatedAt: isoDate })),
      errors: [404],
    },
    async ({ params }) => {
      await flowOr404(api, params.id);
      return { items: (await store.listState(params.id)).map((s) => ({ key: s.key, value: s.value, updatedAt: s.updatedAt })) };
    },
  );

  r.route(
    {
      method: 'delete',
      path: '/flows/:id/state/:key',
      auth: 'admin',
      summary: 'Reset one state entry (e.g. a watermark, to backfill from the beginning)',
      params: z.object({ id: flowIdSchema, key: z.string().min(1).max(500) }),
      errors: [404],
    },
    async ({ params, principal, req }) => {
      await flowOr404(api, params.id);
      const n = await store.resetState(params.id, params.key);
      if (n === 0) throw new HttpError('NOT_FOUND', `flow "${params.id}" has no state "${params.key}"`);
      await api.audit({ req, actor: principal, action: 'flow.state_reset', targetType: 'flow', targetId: params.id, details: { key: params.key } });
      return undefined;
    },
  );
}
