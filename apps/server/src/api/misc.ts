import { z } from 'zod';
import { propSpecs } from '@tributary/connector-sdk';
import type { Api } from './deps.ts';
import { auditJson } from './present.ts';
import type { ApiRoutes } from './route.ts';
import { auditOut, cursorSchema, dateQuery, limitSchema, listOf, pageOf } from './schemas.ts';
import { isStoreCode } from './util.ts';
import { HttpError } from '../http/errors.ts';

const propSpecOut = z.looseObject({ type: z.string(), label: z.string(), required: z.boolean().optional() });
const nodeTypeOut = z.looseObject({
  type: z.string(),
  connector: z.string(),
  kind: z.enum(['trigger', 'action', 'logic']),
  label: z.string(),
  description: z.string(),
  group: z.string(),
  outputs: z.array(z.string()),
  props: z.record(z.string(), propSpecOut),
  runsIn: z.enum(['isolate', 'host']),
});

/** The node-type catalog, connectors, and the audit log. */
export function miscRoutes(r: ApiRoutes, api: Api): void {
  r.route({ method: 'get', path: '/catalog', auth: 'viewer', summary: 'Every node type this server can run, as JSON the designer renders', response: z.object({ nodeTypes: z.array(nodeTypeOut) }) }, () => ({
    nodeTypes: api.registry.catalog(),
  }));

  r.route(
    {
      method: 'get',
      path: '/connectors',
      auth: 'viewer',
      summary: 'Installed connectors with the fields their connections take (secret fields by name only)',
      response: listOf(
        z.object({
          id: z.string(),
          label: z.string(),
          description: z.string(),
          auth: z.object({ kind: z.string(), props: z.record(z.string(), propSpecOut), secrets: z.record(z.string(), propSpecOut) }).nullable(),
        }),
      ),
    },
    () => ({
      items: api.registry.connectors().map((c) => ({
        id: c.id,
        label: c.label,
        description: c.description,
        auth: c.auth ? { kind: c.auth.kind, props: propSpecs(c.auth.props), secrets: propSpecs(c.auth.secrets) } : null,
      })),
    }),
  );

  r.route(
    {
      method: 'get',
      path: '/audit',
      auth: 'admin',
      summary: 'Audit log, newest first: sign-ins, publishes, enable/disable, connection, user and token changes',
      query: z.object({
        actor: z.string().max(200).optional().describe('user id, "system" or "anonymous"'),
        action: z.string().max(100).optional().describe('e.g. flow.publish, auth.login_failed'),
        targetType: z.string().max(50).optional(),
        targetId: z.string().max(200).optional(),
        from: dateQuery.optional(),
        to: dateQuery.optional(),
        cursor: cursorSchema,
        limit: limitSchema,
      }),
      response: pageOf(auditOut),
    },
    async ({ query }) => {
      const { cursor, limit, ...filters } = query;
      let page;
      try {
        page = await api.store.listAudit({
          ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)),
          ...(cursor ? { cursor } : {}),
          limit: limit ?? 50,
        });
      } catch (err) {
        if (isStoreCode(err, 'STORE_INVALID_INPUT')) throw new HttpError('VALIDATION_FAILED', 'query.cursor: not a cursor this server gave out', [{ path: 'query.cursor', message: 'not a cursor this server gave out' }]);
        throw err;
      }
      return { items: page.items.map(auditJson), nextCursor: page.nextCursor };
    },
  );
}
