import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { authorize, type Principal } from '../auth/authenticate.ts';
import type { Access } from '../auth/roles.ts';
import { HttpError } from '../http/errors.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** One API operation: registered on the router with validation, and recorded for the OpenAPI document. */
export interface RouteSpec<B extends Schema | undefined, Q extends Schema | undefined, P extends Schema | undefined, A extends Access> {
  method: Method;
  /** Express path relative to /api/v1, e.g. `/flows/:id/publish`. */
  path: string;
  auth: A;
  summary: string;
  description?: string;
  /** JSON request body. Routes without one ignore any body (but still refuse non-JSON content types). */
  body?: B;
  query?: Q;
  /** Path parameters; each `:name` without a schema is a non-empty string. */
  params?: P;
  /** Documents the success response (not enforced at run time; tests check it). */
  response?: Schema;
  /** Success status; handlers that return undefined answer 204. */
  status?: 200 | 201 | 202;
  /** Request body limit, e.g. '2mb'. */
  bodyLimit?: string;
  /**
   * Top-level body fields that carry event data as it came (a test run's payload): stored as JSON
   * text, they may hold `\u0000`, which every other field is refused with (PostgreSQL text cannot hold it).
   */
  verbatim?: readonly string[];
  /** Statuses besides 400/401/403 this route may answer, for the document. */
  errors?: number[];
}

export interface HandlerInput<B, Q, P, A extends Access> {
  body: Out<B>;
  query: Out<Q>;
  params: Out<P>;
  principal: A extends 'public' ? Principal | null : Principal;
  req: Request;
  res: Response;
}

export type Handler<B, Q, P, A extends Access> = (input: HandlerInput<B, Q, P, A>) => Promise<unknown> | unknown;

export interface Operation {
  method: Method;
  path: string;
  auth: Access;
  summary: string;
  description: string | undefined;
  tag: string;
  body: Schema | undefined;
  query: Schema | undefined;
  params: Schema;
  paramNames: string[];
  response: Schema | undefined;
  status: number;
  errors: number[];
}

export interface ValidationDetail {
  path: string;
  message: string;
}

const DEFAULT_BODY_LIMIT = '256kb';

function paramNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
}

function formatPath(where: string, path: ReadonlyArray<PropertyKey>): string {
  let out = where;
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(seg)) out += `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

/** Every zod issue as `{ path, message }`, paths rooted at `body`, `query` or `params`. */
export function validationDetails(where: string, error: z.ZodError): ValidationDetail[] {
  const out: ValidationDetail[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: formatPath(where, [...issue.path, key]), message: `unknown field "${key}"` });
    } else {
      out.push({ path: formatPath(where, issue.path), message: issue.message });
    }
  }
  return out;
}

export function validationError(details: ValidationDetail[]): HttpError {
  const first = details[0];
  const message = first ? `${first.path}: ${first.message}${details.length > 1 ? ` (and ${details.length - 1} more)` : ''}` : 'request is invalid';
  return new HttpError('VALIDATION_FAILED', message, details);
}

/** The path of the first string or key holding NUL in `value`, if any (fields named in `skip` are not looked into). */
function nulAt(value: unknown, at: (string | number)[], skip: readonly string[] = []): (string | number)[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? at : null;
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulAt(value[i], [...at, i]);
      if (found) return found;
    }
    return null;
  }
  for (const [key, v] of Object.entries(value)) {
    if (key.includes('\u0000')) return [...at, key];
    if (skip.includes(key)) continue;
    const found = nulAt(v, [...at, key]);
    if (found) return found;
  }
  return null;
}

function refuseNul(where: string, value: unknown, skip?: readonly string[]): void {
  const found = nulAt(value, [], skip);
  if (found) throw validationError([{ path: formatPath(where, found), message: 'contains a NUL character (\\u0000), which cannot be stored' }]);
}

function parse<S extends Schema>(schema: S, where: string, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw validationError(validationDetails(where, r.error));
  return r.data;
}

function hasBody(req: Request): boolean {
  const len = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (len !== undefined && len !== '0');
}

function parseJsonBody(req: Request, res: Response, limit: string): Promise<void> {
  const parser = express.json({ limit, type: () => true, strict: false });
  return new Promise((resolve, reject) => {
    parser(req, res, (err?: unknown) => (err ? reject(err) : resolve()));
  });
}

/**
 * The API's route table. `route()` registers an Express route that authenticates, authorises,
 * checks the content type, parses and validates params, query and body with the given zod schemas,
 * then calls the handler; the same schemas describe the operation in the OpenAPI document.
 */
export class ApiRoutes {
  readonly router: Router = express.Router();
  readonly operations: Operation[] = [];
  readonly #identify: (req: Request) => Promise<Principal | null>;

  constructor(opts: { identify: (req: Request) => Promise<Principal | null> }) {
    this.#identify = opts.identify;
  }

  route<B extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, P extends Schema | undefined = undefined, A extends Access = Access>(
    spec: RouteSpec<B, Q, P, A>,
    handler: Handler<B, Q, P, A>,
  ): void {
    const names = paramNames(spec.path);
    const params: Schema = spec.params ?? z.object(Object.fromEntries(names.map((n) => [n, z.string().min(1).max(200)])));
    const tag = spec.path.split('/')[1] ?? 'api';
    this.operations.push({
      method: spec.method,
      path: spec.path,
      auth: spec.auth,
      summary: spec.summary,
      description: spec.description,
      tag,
      body: spec.body,
      query: spec.query,
      params,
      paramNames: names,
      response: spec.response,
      status: spec.status ?? 200,
      errors: spec.errors ?? [],
    });
    const limit = spec.bodyLimit ?? DEFAULT_BODY_LIMIT;
    this.router[spec.method](spec.path, async (req: Request, res: Response) => {
      res.setHeader('cache-control', 'no-store');
      const principal = spec.auth === 'public' ? await this.#identify(req).catch(() => null) : await this.#identify(req);
      authorize(principal, spec.auth, req);
      const withBody = spec.method !== 'get' && hasBody(req);
      if (withBody && !req.is('application/json')) {
        throw new HttpError('UNSUPPORTED_MEDIA_TYPE', `send the request body as application/json (got ${req.get('content-type') ?? 'no content type'})`);
      }
      refuseNul('params', req.params);
      const p = parse(params, 'params', req.params);
      refuseNul('query', req.query);
      const q = spec.query ? parse(spec.query, 'query', req.query) : undefined;
      let b: unknown = undefined;
      if (spec.body) {
        if (withBody) await parseJsonBody(req, res, limit);
        const raw: unknown = withBody ? req.body : {};
        refuseNul('body', raw, spec.verbatim);
        b = parse(spec.body, 'body', raw);
      }
      const result = await handler({ body: b as Out<B>, query: q as Out<Q>, params: p as Out<P>, principal: principal as HandlerInput<B, Q, P, A>['principal'], req, res });
      if (res.headersSent) return;
      if (result === undefined) res.status(204).end();
      else res.status(spec.status ?? 200).json(result);
    });
  }
}
