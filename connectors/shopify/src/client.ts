import { ConnectorError, createHttpClient, errorFromResponse, type ActionContext, type JsonObject } from '@tributary/connector-sdk';
import { z } from 'zod';
import { shopifyAuth, shopifySettings, type ShopifySettings } from './auth.ts';
import { graphqlErrorsToError, userErrorsToError, type ShopifyGraphqlError, type ShopifyUserError } from './errors.ts';
import { createCostTracker, waitForCostMs } from './throttle.ts';

/** The only place that speaks HTTP to Shopify: the Admin GraphQL endpoint and bulk-result downloads. */
export interface ShopifyClient {
  readonly settings: ShopifySettings;
  /** Runs a query and parses `data` with `schema`. */
  query<T>(document: string, variables: JsonObject, schema: z.ZodType<T>): Promise<T>;
  /** Runs a mutation, parses `data[field]` with `schema`, and turns non-empty `userErrors` into a VALIDATION error. */
  mutate<T extends { userErrors: readonly ShopifyUserError[] }>(document: string, variables: JsonObject, field: string, schema: z.ZodType<T>): Promise<T>;
  /** Streams a bulk operation's JSONL result line by line (the URL is pre-signed: no Shopify credentials are sent). */
  jsonLines(url: string): AsyncGenerator<unknown, void, undefined>;
}

/** THROTTLED answers are retried after the computed restore time, this many attempts in all. */
export const MAX_THROTTLE_ATTEMPTS = 5;

// Per process: each connection's last throttle status and each document's last actual cost.
const tracker = createCostTracker();

const costSchema = z.object({
  requestedQueryCost: z.number(),
  actualQueryCost: z.number().nullable().optional(),
  throttleStatus: z.object({ maximumAvailable: z.number(), currentlyAvailable: z.number(), restoreRate: z.number() }),
});

const errorSchema = z.looseObject({
  message: z.string(),
  path: z.array(z.union([z.string(), z.number()])).optional(),
  locations: z.array(z.unknown()).optional(),
  extensions: z.looseObject({ code: z.string().optional() }).optional(),
});

const responseSchema = z.object({
  data: z.record(z.string(), z.unknown()).nullable().optional(),
  errors: z.union([z.array(errorSchema), z.string()]).optional(),
  extensions: z.looseObject({ cost: costSchema.optional() }).optional(),
});

function operationName(document: string): string {
  return /\b(?:query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(document)?.[1] ?? 'GraphQL request';
}

export function shopifyClient(ctx: ActionContext<unknown>): ShopifyClient {
  const settings = shopifySettings(ctx.connection);
  const http = createHttpClient({
    baseUrl: settings.adminUrl,
    auth: shopifyAuth,
    connection: ctx.connection,
    services: ctx,
    signal: ctx.signal,
    service: 'Shopify',
    // Reads may retry a 5xx in-request; mutations never do (the engine retries the step).
    retry: { attempts: 3 },
  });
  const bucketKey = `${ctx.connection?.id ?? 'none'}|${settings.adminUrl}`;

  const execute = async (document: string, variables: JsonObject, write: boolean): Promise<Record<string, unknown>> => {
    const operation = operationName(document);
    for (let attempt = 1; ; attempt++) {
      const estimate = tracker.estimate(document);
      const waitMs = waitForCostMs(tracker.snapshot(bucketKey), estimate, ctx.now());
      if (waitMs > 0) {
        ctx.log.debug('shopify throttle wait', { operation, estimate, waitMs });
        await ctx.sleep(waitMs, ctx.signal);
      }
      const res = await http.post('graphql.json', { query: document, variables }, { schema: responseSchema, write, idempotencyKey: false });
      const cost = res.body.extensions?.cost;
      if (cost) {
        tracker.observe(bucketKey, cost.throttleStatus, ctx.now());
        // The bucket must hold the requested cost before Shopify runs a query (the unused part is refunded after),
        // so the requested cost, not the actual one, says how long to wait next time.
        tracker.record(document, cost.requestedQueryCost);
      }
      const errors = res.body.errors;
      if (typeof errors === 'string') throw new ConnectorError('UPSTREAM_ERROR', `Shopify answered ${operation} with an error: ${errors}`, { details: { operation } });
      if (errors && errors.length > 0) {
        if (errors.some((e) => e.extensions?.code === 'THROTTLED')) {
          const retryAfterMs = Math.max(1000, waitForCostMs(tracker.snapshot(bucketKey), cost?.requestedQueryCost ?? estimate, ctx.now()));
          if (attempt >= MAX_THROTTLE_ATTEMPTS) {
            throw new ConnectorError('RATE_LIMITED', `Shopify kept throttling ${operation} after ${attempt} attempts`, { retryAfterMs, details: { operation, throttleStatus: cost?.throttleStatus ?? null } });
          }
          // Without a cost extension there is nothing to compute from: wait a second.
          if (!cost) await ctx.sleep(retryAfterMs, ctx.signal);
          continue;
        }
        throw graphqlErrorsToError(operation, settings.apiVersion, errors as ShopifyGraphqlError[]);
      }
      if (!res.body.data) throw new ConnectorError('UPSTREAM_ERROR', `Shopify answered ${operation} without data`, { kind: 'internal', retryable: false, details: { operation } });
      return res.body.data;
    }
  };

  const parse = <T>(operation: string, schema: z.ZodType<T>, value: unknown): T => {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    throw new ConnectorError('UPSTREAM_ERROR', `Shopify answered ${operation} in an unexpected shape`, {
      kind: 'internal',
      retryable: false,
      details: { operation, issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    });
  };

  return {
    settings,
    async query(document, variables, schema) {
      return parse(operationName(document), schema, await execute(document, variables, false));
    },
    async mutate(document, variables, field, schema) {
      const operation = operationName(document);
      const payload = parse(operation, schema, (await execute(document, variables, true))[field]);
      if (payload.userErrors.length > 0) throw userErrorsToError(field, payload.userErrors);
      return payload;
    },
    async *jsonLines(url) {
      let res: Response;
      try {
        res = await ctx.fetch(url, { signal: ctx.signal });
      } catch (err) {
        if (ctx.signal.aborted) throw ctx.signal.reason;
        throw new ConnectorError('NETWORK', 'could not download the bulk operation result', { cause: err });
      }
      if (!res.ok || !res.body) {
        throw errorFromResponse({ status: res.status, headers: res.headers, body: await res.text(), method: 'GET', url, nowMs: ctx.now(), service: 'Shopify bulk result storage' });
      }
      const decoder = new TextDecoder();
      let buffer = '';
      let lineNo = 0;
      const parseLine = (line: string): unknown => {
        lineNo++;
        try {
          return JSON.parse(line) as unknown;
        } catch (err) {
          throw new ConnectorError('UPSTREAM_ERROR', `bulk result line ${lineNo} is not JSON`, { kind: 'internal', retryable: false, cause: err });
        }
      };
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let nl = buffer.indexOf('\n');
        while (nl !== -1) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (line.trim() !== '') yield parseLine(line);
          nl = buffer.indexOf('\n');
        }
      }
      buffer += decoder.decode();
      if (buffer.trim() !== '') yield parseLine(buffer);
    },
  };
}
