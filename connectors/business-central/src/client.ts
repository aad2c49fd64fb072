import { ConnectorError, createHttpClient, paginateOData, type ActionContext, type JsonObject, type Query } from '@tributary/connector-sdk';
import type { z } from 'zod';
import { BC_RATE_LIMIT, businessCentralRequestAuth, businessCentralSettings, type BusinessCentralSettings } from './auth.ts';
import { refineBcError } from './errors.ts';

/** OData system query options the connector uses. */
export interface ODataQuery {
  $filter?: string | undefined;
  $orderby?: string;
  $expand?: string;
  $select?: string;
  $top?: number;
}

/** The only place that speaks HTTP to Business Central. Paths are relative to the company (`customers`, `salesOrders(<id>)`). */
export interface BusinessCentralClient {
  readonly settings: BusinessCentralSettings;
  /** Every entity matching the query, following `@odata.nextLink` pages; each one parsed with `schema`. */
  list<T>(entitySet: string, query: ODataQuery, schema: z.ZodType<T>, opts?: { pageSize?: number; maxPages?: number }): AsyncGenerator<T, void, undefined>;
  /** One entity, or null on 404. */
  get<T>(path: string, query: ODataQuery, schema: z.ZodType<T>): Promise<T | null>;
  create<T>(entitySet: string, body: JsonObject, schema: z.ZodType<T>, query?: ODataQuery): Promise<T>;
  /** PATCH guarded by `If-Match: <etag>` (412 → CONFLICT when someone changed the record since it was read). */
  update<T>(path: string, etag: string, patch: JsonObject, schema: z.ZodType<T>): Promise<T>;
}

function toQuery(q: ODataQuery): Query {
  const out: Query = {};
  for (const [k, v] of Object.entries(q)) if (v !== undefined) out[k] = v;
  return out;
}

export function businessCentralClient(ctx: ActionContext<unknown>): BusinessCentralClient {
  const settings = businessCentralSettings(ctx.connection);
  const http = createHttpClient({
    baseUrl: settings.companyUrl,
    auth: businessCentralRequestAuth(settings),
    connection: ctx.connection,
    services: ctx,
    signal: ctx.signal,
    service: 'Business Central',
    timeoutMs: settings.timeoutMs,
    rateLimit: BC_RATE_LIMIT,
    // Reads may retry a 5xx or a short 429 in-request; writes never do (the engine retries the step).
    retry: { attempts: 3 },
  });

  const parse = <T>(what: string, schema: z.ZodType<T>, value: unknown): T => {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    throw new ConnectorError('UPSTREAM_ERROR', `Business Central answered ${what} in an unexpected shape`, {
      kind: 'internal',
      retryable: false,
      details: { what, issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    });
  };

  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw refineBcError(err);
    }
  };

  return {
    settings,
    async *list(entitySet, query, schema, opts = {}) {
      const pages = paginateOData<unknown>(http, {
        path: entitySet,
        query: toQuery(query),
        ...(opts.pageSize ? { headers: { Prefer: `odata.maxpagesize=${opts.pageSize}` } } : {}),
        ...(opts.maxPages ? { maxPages: opts.maxPages } : {}),
      });
      const it = pages[Symbol.asyncIterator]();
      for (;;) {
        const next = await call(() => it.next());
        if (next.done) return;
        yield parse(entitySet, schema, next.value);
      }
    },
    async get(path, query, schema) {
      try {
        const res = await http.get(path, { query: toQuery(query) });
        return parse(path, schema, res.body);
      } catch (err) {
        const e = refineBcError(err);
        if (e instanceof ConnectorError && e.code === 'NOT_FOUND') return null;
        throw e;
      }
    },
    create: (entitySet, body, schema, query = {}) => call(async () => parse(entitySet, schema, (await http.post(entitySet, body, { query: toQuery(query) })).body)),
    update: (path, etag, patch, schema) => call(async () => parse(path, schema, (await http.patch(path, patch, { headers: { 'If-Match': etag } })).body)),
  };
}
