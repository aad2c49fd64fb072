import { ConnectorError, createHttpClient, defineAction, prop, toJsonValue, type HttpMethod, type JsonValue } from '@tributary/connector-sdk';
import { z } from 'zod';
import { httpRateLimit, httpRequestAuth } from '../auth.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const satisfies readonly HttpMethod[];

const queryScalar = z.union([z.string(), z.number(), z.boolean()]);

/**
 * `core.httpRequest`: one HTTP call through the SDK client, so failures are classified like every
 * connector's (401 AUTH_INVALID, 429 RATE_LIMITED with Retry-After, 5xx UPSTREAM_UNAVAILABLE…) and
 * the engine retries the transient ones. Statuses in `successCodes` are returned instead of thrown.
 * Writes (every method but GET/HEAD) carry the step's idempotency key as `Idempotency-Key`.
 */
export const httpRequestAction = defineAction({
  name: 'httpRequest',
  label: 'HTTP Request',
  description: 'Call any HTTP API. JSON bodies are sent and parsed; credentials come from an HTTP connection. Output: { status, headers, body }.',
  group: 'Data',
  kind: 'action',
  runsIn: 'host',
  write: true,
  idempotent: false,
  props: {
    connection: prop.connection({ label: 'Connection', connector: 'http', description: 'Credentials, base URL and rate limit; leave empty for a public API' }),
    method: prop.select({ label: 'Method', required: true, default: 'GET', options: METHODS.map((m) => ({ value: m, label: m })) }),
    url: prop.string({ label: 'URL', required: true, placeholder: 'https://api.example.com/v1/orders' }),
    query: prop.object({ label: 'Query parameters', schema: z.record(z.string(), z.union([queryScalar, z.null(), z.array(queryScalar)])) }),
    headers: prop.object({ label: 'Headers', schema: z.record(z.string(), z.string()) }),
    body: prop.json({ label: 'Body (JSON)' }),
    timeoutMs: prop.integer({ label: 'Timeout (ms)', default: 30_000, min: 1, max: 300_000, advanced: true }),
    successCodes: prop.array({
      label: 'Success status codes',
      description: 'Statuses returned as output instead of failing the step; default 200–299',
      schema: z.array(z.number().int().min(100).max(599)),
      advanced: true,
    }),
    sendIdempotencyKey: prop.boolean({ label: 'Send Idempotency-Key on writes', default: true, advanced: true }),
  },
  exampleProps: { method: 'GET', url: 'https://api.example.com/v1/orders', query: { status: 'open' } },
  sampleOutput: { status: 200, headers: { 'content-type': 'application/json' }, body: { orders: [{ id: 1001, status: 'open' }] } },
  async run(ctx) {
    const { props, connection } = ctx;
    const baseUrl = typeof connection?.config['baseUrl'] === 'string' && connection.config['baseUrl'] !== '' ? connection.config['baseUrl'] : undefined;
    if (!/^https?:\/\//i.test(props.url) && baseUrl === undefined) {
      throw new ConnectorError('CONFIG_INVALID', `URL "${props.url}" must start with http:// or https:// (or pick a connection with a base URL)`, { details: { path: 'url' } });
    }
    const rateLimit = connection ? httpRateLimit(connection) : undefined;
    const client = createHttpClient({
      ...(baseUrl !== undefined ? { baseUrl } : {}),
      auth: connection ? httpRequestAuth(connection) : null,
      connection,
      services: ctx,
      signal: ctx.signal,
      timeoutMs: props.timeoutMs,
      ...(rateLimit ? { rateLimit } : {}),
      idempotencyKey: ctx.idempotencyKey,
    });
    const res = await client.request({
      method: props.method,
      path: props.url,
      ...(props.query ? { query: props.query } : {}),
      ...(props.headers ? { headers: props.headers } : {}),
      ...(props.body !== undefined && props.body !== null && props.method !== 'GET' && props.method !== 'HEAD' ? { json: props.body } : {}),
      ...(props.successCodes && props.successCodes.length > 0 ? { successCodes: props.successCodes } : {}),
      ...(props.sendIdempotencyKey ? {} : { idempotencyKey: false as const }),
    });
    const output: JsonValue = { status: res.status, headers: res.headers, body: toJsonValue(res.body) };
    return output;
  },
});
