import { z } from 'zod';
import type { Operation } from './route.ts';

type JsonSchema = Record<string, unknown>;

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No content',
  400: 'Invalid request (VALIDATION_FAILED with every problem in details, or INVALID_JSON)',
  401: 'Not signed in (UNAUTHENTICATED) or credentials rejected',
  403: 'Role too low (FORBIDDEN) or missing CSRF token (CSRF_INVALID)',
  404: 'Not found',
  409: 'Conflict (stale rev, duplicate name, state does not allow it)',
  413: 'Request body too large (PAYLOAD_TOO_LARGE)',
  415: 'Request body is not application/json (UNSUPPORTED_MEDIA_TYPE)',
  422: 'Understood but refused (FLOW_INVALID with issues, REPLAY_INVALID)',
  429: 'Too many attempts (RATE_LIMITED, see Retry-After)',
};

export const errorResponseSchema = z.object({
  error: z.object({
    code: z.string().describe('closed set of codes; match on this, never on message'),
    message: z.string(),
    details: z.unknown().optional().describe('for VALIDATION_FAILED: [{ path, message }]'),
  }),
});

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const s = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  delete s['$schema'];
  return s;
}

function objectProperties(schema: z.ZodType): { props: Record<string, JsonSchema>; required: Set<string> } {
  const js = toSchema(schema, 'input');
  const props = (js['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(js['required']) ? (js['required'] as string[]) : []);
  return { props, required };
}

function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function operationId(op: Operation): string {
  const words = op.path
    .split('/')
    .filter(Boolean)
    .map((w) => (w.startsWith(':') ? `by-${w.slice(1)}` : w))
    .join('-')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return [op.method, ...words].map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
}

/**
 * The OpenAPI 3.1 document of the API, built from the same zod schemas the routes validate with
 * (JSON Schema 2020-12 is OpenAPI 3.1's schema dialect, so `z.toJSONSchema` output drops in).
 */
export function buildOpenApi(operations: readonly Operation[], info: { version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of operations) {
    const parameters: JsonSchema[] = [];
    const pp = objectProperties(op.params);
    for (const name of op.paramNames) parameters.push({ name, in: 'path', required: true, schema: pp.props[name] ?? { type: 'string' } });
    if (op.query) {
      const qp = objectProperties(op.query);
      for (const [name, schema] of Object.entries(qp.props)) {
        parameters.push({ name, in: 'query', required: qp.required.has(name), schema, ...(typeof schema['description'] === 'string' ? { description: schema['description'] } : {}) });
      }
    }
    const responses: Record<string, JsonSchema> = {};
    const ok = op.response ? { description: STATUS_TEXT[op.status] ?? 'OK', content: { 'application/json': { schema: toSchema(op.response, 'output') } } } : { description: STATUS_TEXT[204] };
    responses[op.response ? String(op.status) : '204'] = ok;
    const errorCodes = new Set<number>([400, ...op.errors]);
    if (op.auth !== 'public') {
      errorCodes.add(401);
      errorCodes.add(403);
    }
    if (op.body) {
      errorCodes.add(413);
      errorCodes.add(415);
    }
    for (const code of [...errorCodes].sort()) {
      responses[String(code)] = { description: STATUS_TEXT[code] ?? 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    const operation: JsonSchema = {
      operationId: operationId(op),
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [op.tag],
      'x-required-role': op.auth,
      security: op.auth === 'public' ? [] : [{ session: [] }, { bearer: [] }],
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(op.body, 'input') } } } } : {}),
      responses,
    };
    const key = openApiPath(op.path);
    paths[key] ??= {};
    paths[key][op.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tributary API',
      version: info.version,
      description:
        'REST API of Tributary. Sign in with POST /auth/login (session cookie; send the returned csrfToken as x-csrf-token on writes) or use an API token (Authorization: Bearer trb_…). Errors are { error: { code, message, details } }.',
    },
    servers: [{ url: '/api/v1' }],
    paths,
    components: {
      schemas: { Error: toSchema(errorResponseSchema, 'output') },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'trb_session', description: 'Session cookie from POST /auth/login; writes also need the x-csrf-token header.' },
        bearer: { type: 'http', scheme: 'bearer', description: 'API token (trb_…) from POST /tokens; acts with its owner\'s role.' },
      },
    },
  };
}
