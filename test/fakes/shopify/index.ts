import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  execute,
  executeSync,
  getOperationAST,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFormattedError,
} from 'graphql';
import { sendJson, startFakeHttpServer, type OutageMode, type RecordedRequest } from '../http-server.ts';
import type { Obj } from './connection.ts';
import { shopifyTimestamp, type FakeShopifyContext } from './context.ts';
import { actualQueryCost, createLeakyBucket, requestedQueryCost, type ThrottleStatus } from './cost.ts';
import { mutationResolvers, type BulkRunner } from './mutations.ts';
import { queryResolvers } from './queries.ts';
import { loadShopifyAdminSchema, SHOPIFY_SCHEMA_VERSION } from './schema.ts';
import { createSeeder, type NorthwindSeed, type Seeder } from './seed.ts';
import { emptyState, parseGid, type BulkOperationRec, type ShopState } from './state.ts';
import { createViews } from './views.ts';
import { redeliverShopifyWebhook, sendShopifyWebhook, type WebhookDelivery } from './webhooks.ts';

export { loadShopifyAdminSchema, SHOPIFY_SCHEMA_VERSION, shopifySchemaPath, repoRoot } from './schema.ts';
export { shopifyHmac, type WebhookDelivery } from './webhooks.ts';
export type { ThrottleStatus } from './cost.ts';
export type { NorthwindSeed, Seeder, SeedOrder, SeedVariant } from './seed.ts';
export type * from './state.ts';

export interface FakeShopifyOptions {
  /** Default `northwind.myshopify.com`. */
  shopDomain?: string;
  /** The Admin API access token the fake accepts in X-Shopify-Access-Token. Default `shpat_fake_admin_token`. */
  accessToken?: string;
  /** Leaky bucket size in cost points (Shopify standard plan: 2000). */
  maximumAvailable?: number;
  /** Points restored per second (standard: 100). */
  restoreRate?: number;
  /** The fake's clock in ms: timestamps and bucket refill. Tests pass a virtual clock to avoid real waiting. */
  now?: () => number;
  /** Status reads a bulk operation takes before it is COMPLETED (default 2). */
  bulkPollsToComplete?: number;
  /** `northwind` (default) seeds a small wholesale shop; `empty` starts blank. */
  seed?: 'northwind' | 'empty';
}

/** A one-shot misbehaviour for the next GraphQL request(s) — or, with `when`, the next one it matches. */
export type ShopifyFailure = (
  /** An HTTP error answer; `retryAfter` (seconds or an HTTP date) becomes the Retry-After header. */
  | { kind: 'http'; status: number; retryAfter?: number | string; body?: unknown }
  | { kind: 'throttled' }
  | { kind: 'network' }
  /** The next bulk operation ends FAILED with this error code. */
  | { kind: 'bulk'; errorCode: NonNullable<BulkOperationRec['errorCode']> }
) & { when?: (request: { query: string; variables: Obj }) => boolean };

export interface GraphqlRequest {
  version: string;
  query: string;
  variables: Obj;
  operationName: string | null;
  /** The cost reported in `extensions.cost` (actual is null when the request was throttled). */
  cost?: { requested: number; actual: number | null };
}

export interface FakeShopify {
  /** Base URL; the Admin endpoint is `${url}/admin/api/${version}/graphql.json`. */
  readonly url: string;
  readonly shopDomain: string;
  readonly accessToken: string;
  readonly state: ShopState;
  /** Every HTTP request received (including bulk downloads). */
  readonly requests: RecordedRequest[];
  /** Every GraphQL request that passed authentication, parsed. */
  readonly graphqlRequests: GraphqlRequest[];
  readonly seed: Seeder;
  /** The seeded ids when started with `seed: 'northwind'`. */
  readonly northwind: NorthwindSeed | null;
  failNext(failure: ShopifyFailure, times?: number): void;
  setOutage(mode: OutageMode): Promise<void>;
  throttleStatus(): ThrottleStatus;
  /** Drains (or fills) the leaky bucket to `points`. */
  setAvailable(points: number): void;
  /** Signs and POSTs a webhook to `url` with Shopify's header set. */
  sendWebhook(url: string, topic: string, payload: unknown, secret: string, opts?: { webhookId?: string; eventId?: string; triggeredAt?: string; apiVersion?: string }): Promise<WebhookDelivery>;
  /** Shopify's retry: the same delivery again (same X-Shopify-Webhook-Id and X-Shopify-Triggered-At). */
  redeliver(delivery: WebhookDelivery, url?: string): Promise<WebhookDelivery>;
  /** The shape the SDK's `connectorContract` expects of a fake server (structurally its `FakeServer`). */
  contractServer(): ContractFakeServer;
  close(): Promise<void>;
}

/** Structurally the connector SDK's testing `FakeServer` (the test package does not depend on the SDK). */
export interface ContractFakeServer {
  url: string;
  close(): Promise<void>;
  requests(): Array<{ method: string; path: string }>;
  failNext(status: number, opts?: { retryAfter?: number | string; json?: unknown; times?: number }): void;
}

const INVALID_TOKEN = { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' };
const MAX_SINGLE_QUERY_COST = 1000;
const VERSION = /^\/admin\/api\/(\d{4}-(?:01|04|07|10)|unstable)\/graphql\.json(?:\?.*)?$/;

function formatErrors(errors: readonly GraphQLError[]): GraphQLFormattedError[] {
  return errors.map((e) => {
    const f = e.toJSON();
    return { ...f, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...f.extensions } };
  });
}

function parseBody(body: Buffer, contentType: string | undefined): { query: string; variables: Obj; operationName: string | null } | null {
  const text = body.toString('utf8');
  if (contentType?.includes('application/graphql')) return { query: text, variables: {}, operationName: null };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof json !== 'object' || json === null) return null;
  const o = json as Obj;
  if (typeof o.query !== 'string') return null;
  const variables = typeof o.variables === 'object' && o.variables !== null ? (o.variables as Obj) : {};
  return { query: o.query, variables, operationName: typeof o.operationName === 'string' ? o.operationName : null };
}

/**
 * Starts a fake Shopify Admin GraphQL API on 127.0.0.1:<random port>. Queries run through graphql-js against the
 * official 2025-01 schema, so documents the real API would reject are rejected here too (HTTP 200 with `errors`).
 */
export async function startFakeShopify(opts: FakeShopifyOptions = {}): Promise<FakeShopify> {
  const schema = loadShopifyAdminSchema();
  const shopDomain = opts.shopDomain ?? 'northwind.myshopify.com';
  const accessToken = opts.accessToken ?? 'shpat_fake_admin_token';
  const now = opts.now ?? Date.now;
  const bucket = createLeakyBucket({ maximumAvailable: opts.maximumAvailable ?? 2000, restoreRate: opts.restoreRate ?? 100, now });
  const state = emptyState(shopDomain);
  const graphqlRequests: GraphqlRequest[] = [];
  const failures: ShopifyFailure[] = [];
  let counter = 1000;

  const ctx: FakeShopifyContext = {
    schema,
    state,
    nowIso: () => shopifyTimestamp(now()),
    nextId: (type) => `gid://shopify/${type}/${++counter}`,
    baseUrl: '',
    bulk: false,
    bulkPollsToComplete: opts.bulkPollsToComplete ?? 2,
    bulkFailure: null,
  };

  /** The first queued failure of the wanted kinds that applies to this request (untargeted ones apply to any). */
  const takeFailure = (req: { query: string; variables: Obj } | null, kind: (f: ShopifyFailure) => boolean): ShopifyFailure | undefined => {
    const i = failures.findIndex((f) => kind(f) && (f.when === undefined || (req !== null && f.when(req))));
    // Untargeted failures keep their order: one queued ahead of a different kind is not skipped.
    if (i === -1 || (failures[i]!.when === undefined && failures.slice(0, i).some((f) => f.when === undefined))) return undefined;
    return failures.splice(i, 1)[0];
  };

  const rootFor = (c: FakeShopifyContext, runBulk: BulkRunner): Obj => {
    const views = createViews(c);
    const resolvers: Obj = { ...queryResolvers(c, views), ...mutationResolvers(c, views, runBulk) };
    // Fields the fake does not implement fail loudly instead of resolving to a confusing null.
    return new Proxy(resolvers, {
      get(target, prop) {
        if (typeof prop !== 'string' || prop in target) return Reflect.get(target, prop);
        return () => {
          throw new GraphQLError(`The fake Shopify does not implement the root field "${prop}".`, { extensions: { code: 'NOT_IMPLEMENTED' } });
        };
      },
    });
  };

  const runBulk: BulkRunner = (query) => {
    let doc: DocumentNode;
    try {
      doc = parse(query);
    } catch (e) {
      return { ok: false, messages: [e instanceof Error ? e.message : String(e)] };
    }
    const errors = validate(schema, doc);
    if (errors.length) return { ok: false, messages: errors.map((e) => e.message) };
    const op = getOperationAST(doc);
    if (!op || op.operation !== 'query') return { ok: false, messages: ['Bulk queries must be a single query operation.'] };
    if (!/\b(edges|nodes)\b/.test(query)) return { ok: false, messages: ['Bulk queries must contain at least 1 connection.'] };
    const bulkCtx: FakeShopifyContext = { ...ctx, bulk: true };
    const result = executeSync({ schema, document: doc, rootValue: rootFor(bulkCtx, runBulk), contextValue: bulkCtx });
    if (result.errors?.length) return { ok: false, messages: result.errors.map((e) => e.message) };
    return { ok: true, data: (result.data ?? {}) as Obj };
  };

  const handleGraphql = async (version: string, body: Buffer, contentType: string | undefined, res: ServerResponse): Promise<void> => {
    const req = parseBody(body, contentType);
    if (!req) {
      sendJson(res, 400, { errors: { query: 'Required parameter missing or invalid' } });
      return;
    }
    const recorded: GraphqlRequest = { version, ...req };
    graphqlRequests.push(recorded);
    const headers = { 'x-shopify-api-version': version, 'x-request-id': randomUUID() };
    const costOf = (requested: number, actual: number | null): Obj => {
      recorded.cost = { requested, actual };
      return { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: bucket.status() } };
    };

    let doc: DocumentNode;
    try {
      doc = parse(req.query);
    } catch (e) {
      const errors = e instanceof GraphQLError ? formatErrors([e]) : [{ message: String(e) }];
      sendJson(res, 200, { errors, extensions: costOf(0, 0) }, headers);
      return;
    }
    const validationErrors = validate(schema, doc);
    if (validationErrors.length) {
      sendJson(res, 200, { errors: formatErrors(validationErrors), extensions: costOf(0, 0) }, headers);
      return;
    }
    const op = getOperationAST(doc, req.operationName);
    if (!op) {
      sendJson(res, 200, { errors: [{ message: 'An operation name is required', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }], extensions: costOf(0, 0) }, headers);
      return;
    }
    const requested = requestedQueryCost({ schema, document: doc, operation: op, variables: req.variables });
    if (requested > MAX_SINGLE_QUERY_COST) {
      sendJson(
        res,
        200,
        {
          errors: [
            {
              message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).`,
              extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: MAX_SINGLE_QUERY_COST, documentation: 'https://shopify.dev/api/usage/rate-limits' },
            },
          ],
          extensions: costOf(requested, null),
        },
        headers,
      );
      return;
    }
    const forced = takeFailure(req, (f) => f.kind === 'throttled');
    if (forced || !bucket.take(requested)) {
      sendJson(res, 200, { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }], extensions: costOf(requested, null) }, headers);
      return;
    }
    const result: ExecutionResult = await execute({
      schema,
      document: doc,
      rootValue: rootFor(ctx, runBulk),
      contextValue: ctx,
      variableValues: req.variables,
      operationName: req.operationName,
    });
    const out: Obj = {};
    if (result.errors?.length) out.errors = result.errors.map((e) => e.toJSON());
    out.data = result.data ?? null;
    // Shopify takes the requested cost before running a query and refunds what the result did not use.
    const actual = op.operation === 'mutation' ? requested : actualQueryCost(result.data, requested);
    bucket.refund(requested - actual);
    out.extensions = costOf(requested, actual);
    sendJson(res, 200, out, headers);
  };

  const sendBulkFile = (id: string, res: ServerResponse): void => {
    const op = state.bulkOperations.get(`gid://shopify/BulkOperation/${id}`);
    if (!op || op.status !== 'COMPLETED') {
      res.writeHead(404, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
      return;
    }
    // Written in small chunks so readers must handle lines split across chunks, as with a real download.
    const text = op.lines.map((l) => `${l}\n`).join('');
    res.writeHead(200, { 'content-type': 'application/jsonl' });
    for (let i = 0; i < text.length; i += 97) res.write(text.slice(i, i + 97));
    res.end();
  };

  const server = await startFakeHttpServer({
    outageResponse: (res) => sendJson(res, 503, { errors: 'Service Unavailable' }, { 'retry-after': '1' }),
    handler: async (req, body, res) => {
      const path = req.url ?? '/';
      const bulk = /^\/bulk\/(\d+)\.jsonl$/.exec(path);
      if (req.method === 'GET' && bulk) return sendBulkFile(bulk[1]!, res);
      const m = VERSION.exec(path);
      if (!m || req.method !== 'POST') return sendJson(res, 404, { errors: 'Not Found' });
      if (req.headers['x-shopify-access-token'] !== accessToken) return sendJson(res, 401, INVALID_TOKEN);
      const failure = takeFailure(parseBody(body, req.headers['content-type']), (f) => f.kind === 'http' || f.kind === 'network');
      if (failure && (failure.kind === 'http' || failure.kind === 'network')) {
        if (failure.kind === 'network') {
          req.socket.destroy();
          return;
        }
        const extra: Record<string, string> = failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {};
        const body = failure.body ?? (failure.status === 401 ? INVALID_TOKEN : { errors: failure.status === 429 ? 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' : 'Internal Server Error' });
        return sendJson(res, failure.status, body, extra);
      }
      return handleGraphql(m[1]!, body, req.headers['content-type'], res);
    },
  });
  ctx.baseUrl = server.url;

  const seed = createSeeder(ctx);
  const northwind = (opts.seed ?? 'northwind') === 'northwind' ? seed.northwind() : null;

  return {
    url: server.url,
    shopDomain,
    accessToken,
    state,
    requests: server.requests,
    graphqlRequests,
    seed,
    northwind,
    failNext(failure, times = 1) {
      if (failure.kind === 'bulk') {
        ctx.bulkFailure = { errorCode: failure.errorCode };
        return;
      }
      for (let i = 0; i < times; i++) failures.push(failure);
    },
    setOutage: (mode) => server.setOutage(mode),
    throttleStatus: () => bucket.status(),
    setAvailable: (points) => bucket.setAvailable(points),
    sendWebhook: (url, topic, payload, secret, o = {}) =>
      sendShopifyWebhook({ url, topic, payload, secret, shopDomain, apiVersion: o.apiVersion ?? SHOPIFY_SCHEMA_VERSION, webhookId: o.webhookId, eventId: o.eventId, triggeredAt: o.triggeredAt ?? new Date(now()).toISOString() }),
    redeliver: (d, url) => redeliverShopifyWebhook(d, url),
    contractServer: () => ({
      url: server.url,
      close: () => server.close(),
      requests: () => server.requests.map((r) => ({ method: r.method, path: r.path.split('?')[0]! })),
      failNext: (status, o = {}) => {
        for (let i = 0; i < (o.times ?? 1); i++) failures.push({ kind: 'http', status, ...(o.retryAfter !== undefined ? { retryAfter: o.retryAfter } : {}), ...(o.json !== undefined ? { body: o.json } : {}) });
      },
    }),
    close: () => server.close(),
  };
}

/** Whether a string is a Shopify GID of the given type (handy in tests). */
export function isGid(value: unknown, type: string): boolean {
  return typeof value === 'string' && parseGid(value)?.type === type;
}

