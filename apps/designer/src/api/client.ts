import { z } from 'zod';
import type { FlowDocument } from '@tributary/flow';
import {
  auditEntrySchema,
  bulkResultSchema,
  catalogSchema,
  connectorInfoSchema,
  connectionSchema,
  errorBodySchema,
  failureSchema,
  flowRecordSchema,
  flowSummarySchema,
  kpisSchema,
  listOf,
  runDetailSchema,
  runListSchema,
  runSummarySchema,
  serverIssueSchema,
  sessionSchema,
  userSchema,
  versionSummarySchema,
} from './types.ts';
import type { Rev, Role } from './types.ts';

/**
 * The designer's only HTTP module: every route of /api/v1 the UI uses is listed here, so a route
 * change is one edit. Responses are parsed (zod) before they reach components.
 */

const BASE = '/api/v1';

/** An API failure, carrying the server's `{ error: { code, message, details } }`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: string;
  readonly status: number;
  readonly details: unknown;
  constructor(options: { code: string; message: string; status: number; details?: unknown }) {
    super(options.message);
    this.code = options.code;
    this.status = options.status;
    this.details = options.details;
  }
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request answers 401 (session expired), so the app can show the login page. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

type Query = Record<string, string | number | undefined | null>;

interface RequestOptions<S extends z.ZodType> {
  body?: unknown;
  query?: Query;
  schema: S;
}

function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `${BASE}${path}${qs ? `?${qs}` : ''}`;
}

async function request<S extends z.ZodType>(method: string, path: string, options: RequestOptions<S>): Promise<z.output<S>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (cause) {
    throw new ApiError({ code: 'NETWORK', message: `Cannot reach the server (${cause instanceof Error ? cause.message : String(cause)})`, status: 0 });
  }
  const text = await res.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (!res.ok) {
    if (res.status === 401 && onUnauthorized && path !== '/auth/me' && path !== '/auth/login') onUnauthorized();
    const parsed = errorBodySchema.safeParse(json);
    if (parsed.success) throw new ApiError({ ...parsed.data.error, status: res.status });
    throw new ApiError({ code: `HTTP_${res.status}`, message: `${method} ${path} failed: ${res.status} ${res.statusText}`, status: res.status });
  }
  const parsed = options.schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ApiError({
      code: 'BAD_RESPONSE',
      message: `Unexpected response from ${method} ${path}${first ? ` at ${first.path.join('.') || '(root)'}: ${first.message}` : ''}`,
      status: res.status,
      details: parsed.error.issues,
    });
  }
  return parsed.data;
}

const ok = z.unknown();
const get = <S extends z.ZodType>(path: string, schema: S, query?: Query) => request('GET', path, { schema, query });
const post = <S extends z.ZodType>(path: string, schema: S, body: unknown = {}) => request('POST', path, { schema, body });
const put = <S extends z.ZodType>(path: string, schema: S, body: unknown) => request('PUT', path, { schema, body });
const patch = <S extends z.ZodType>(path: string, schema: S, body: unknown) => request('PATCH', path, { schema, body });
const del = <S extends z.ZodType>(path: string, schema: S) => request('DELETE', path, { schema });
const enc = encodeURIComponent;

export interface RunFilters {
  flowId?: string;
  status?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

export interface ConnectionInput {
  name: string;
  connector: string;
  config: Record<string, unknown>;
  /** Only the secrets being set or replaced; omitted secrets stay as stored. */
  secrets?: Record<string, string>;
}

export const api = {
  auth: {
    me: () => get('/auth/me', sessionSchema),
    login: (email: string, password: string) => post('/auth/login', sessionSchema, { email, password }),
    logout: () => post('/auth/logout', ok),
  },
  catalog: () => get('/catalog', catalogSchema),
  /** Installed connectors with the config and secret fields their connections take. */
  connectors: () => get('/connectors', listOf(connectorInfoSchema)),
  flows: {
    list: () => get('/flows', listOf(flowSummarySchema)),
    create: (draft: FlowDocument) => post('/flows', flowRecordSchema, { draft }),
    get: (flowId: string) => get(`/flows/${enc(flowId)}`, flowRecordSchema),
    save: (flowId: string, draft: FlowDocument, rev: Rev) => put(`/flows/${enc(flowId)}`, flowRecordSchema, { draft, rev }),
    remove: (flowId: string) => del(`/flows/${enc(flowId)}`, ok),
    validate: (flowId: string) => post(`/flows/${enc(flowId)}/validate`, z.looseObject({ issues: z.array(serverIssueSchema) })),
    /** `rev` makes the server refuse (409) when the draft changed since that rev. */
    publish: (flowId: string, options: { note?: string; rev?: Rev } = {}) =>
      post(`/flows/${enc(flowId)}/publish`, z.looseObject({ version: z.unknown() }), {
        ...(options.note ? { note: options.note } : {}),
        ...(typeof options.rev === 'number' ? { rev: options.rev } : {}),
      }),
    versions: (flowId: string) => get(`/flows/${enc(flowId)}/versions`, listOf(versionSummarySchema)),
    version: (flowId: string, version: number) => get(`/flows/${enc(flowId)}/versions/${version}`, z.looseObject({ document: z.unknown() })),
    rollback: (flowId: string, version: number) => post(`/flows/${enc(flowId)}/versions/${version}/rollback`, ok),
    enable: (flowId: string) => post(`/flows/${enc(flowId)}/enable`, ok),
    disable: (flowId: string) => post(`/flows/${enc(flowId)}/disable`, ok),
    /** Runs the stored draft, or `draft` when given (so unsaved edits can be tested), with `payload` as the trigger event. */
    test: (flowId: string, payload: unknown, draft?: FlowDocument) =>
      post(`/flows/${enc(flowId)}/test`, z.looseObject({ run: runDetailSchema }), draft ? { payload, draft } : { payload }),
  },
  runs: {
    list: (filters: RunFilters = {}) => get('/runs', runListSchema, { ...filters }),
    get: (runId: string) => get(`/runs/${enc(runId)}`, z.union([z.looseObject({ run: runDetailSchema }).transform((v) => v.run), runDetailSchema])),
    replay: (runId: string, options: { fromNode?: string; version?: 'same' | 'current' }) => post(`/runs/${enc(runId)}/replay`, ok, options),
    /** Stops a queued, running or waiting run (admin); 409 once it has finished. */
    cancel: (runId: string) => post(`/runs/${enc(runId)}/cancel`, z.looseObject({ run: runSummarySchema }).transform((v) => v.run), {}),
  },
  failures: {
    list: (query: { flowId?: string; cursor?: string; limit?: number } = {}) => get('/failures', listOf(failureSchema), query),
    retry: (runIds: string[]) => post('/failures/retry', bulkResultSchema, { runIds }),
    resolve: (runIds: string[]) => post('/failures/resolve', bulkResultSchema, { runIds }),
  },
  connections: {
    list: () => get('/connections', listOf(connectionSchema)),
    create: (input: ConnectionInput) => post('/connections', ok, input),
    update: (connectionId: string, input: Partial<ConnectionInput>) => put(`/connections/${enc(connectionId)}`, ok, input),
    remove: (connectionId: string) => del(`/connections/${enc(connectionId)}`, ok),
  },
  users: {
    list: () => get('/users', listOf(userSchema)),
    create: (input: { email: string; name: string; role: Role; password: string }) => post('/users', ok, input),
    update: (userId: string, input: { name?: string; role?: Role; disabled?: boolean; password?: string }) => patch(`/users/${enc(userId)}`, ok, input),
  },
  kpis: (since?: string) => get('/kpis', kpisSchema, { since }),
  audit: (query: { cursor?: string; limit?: number } = {}) =>
    get('/audit', z.union([z.array(auditEntrySchema).transform((items) => ({ items, nextCursor: null })), z.looseObject({ items: z.array(auditEntrySchema), nextCursor: z.string().nullish().transform((v) => v ?? null) })]), query),
};

/**
 * A message fit for a toast: the server's own message, plus the first field problems when the
 * server listed them (`details: [{ path, message }]`) and the message does not already say them.
 */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    const fields = Array.isArray(err.details)
      ? err.details
          .map((d: unknown) => (d && typeof d === 'object' && 'message' in d && typeof d.message === 'string' ? ('path' in d && typeof d.path === 'string' && d.path ? `${d.path}: ${d.message}` : d.message) : null))
          .filter((t): t is string => t !== null && !err.message.includes(t))
      : [];
    return fields.length ? `${err.message} (${fields.slice(0, 3).join('; ')}${fields.length > 3 ? '; …' : ''})` : err.message;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}
