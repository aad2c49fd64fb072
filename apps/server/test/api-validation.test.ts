import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ENV_VARS } from '../src/config.ts';
import { startHarness, type Client, type Harness } from './api-harness.ts';

/** Walks every operation of the OpenAPI document as an admin with malformed input. */

interface Op {
  method: string;
  path: string;
  requestBody?: unknown;
  parameters?: Array<{ name: string; in: 'path' | 'query'; schema: { type?: string; format?: string; minimum?: number; enum?: unknown[]; pattern?: string } }>;
}

const errorShape = z.object({ error: z.object({ code: z.string(), message: z.string().min(1), details: z.unknown().optional() }) }).strict();
const validationShape = z.object({
  error: z.object({ code: z.literal('VALIDATION_FAILED'), message: z.string().min(1), details: z.array(z.object({ path: z.string().min(1), message: z.string().min(1) }).strict()).min(1) }).strict(),
});

let h: Harness;
let admin: Client;
let ops: Op[] = [];

function concrete(path: string): string {
  return `/api/v1${path.replace(/\{(v|a|b)\}/g, '1').replace(/\{\w+\}/g, 'x')}`;
}

function noInternals(text: string): void {
  expect(text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+|stack/);
}

beforeAll(async () => {
  h = await startHarness();
  admin = await h.bot('admin');
  const doc = (await admin.get('/api/v1/openapi.json')).json as { paths: Record<string, Record<string, Omit<Op, 'method' | 'path'>>> };
  ops = Object.entries(doc.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ method: method.toUpperCase(), path, ...op })));
});
afterAll(async () => {
  await h?.close();
});

describe('malformed requests to every route', () => {
  it('finds the operations', () => {
    expect(ops.length).toBeGreaterThan(40);
    expect(ops.filter((o) => o.requestBody).length).toBeGreaterThan(15);
  });

  it('answers 400 VALIDATION_FAILED with every problem for bodies of the wrong shape', async () => {
    for (const op of ops.filter((o) => o.requestBody)) {
      for (const bad of [[], 'text', 42, { __unknownField: true, x: [1, 2] }]) {
        const res = await admin.request(op.method, concrete(op.path), { body: bad });
        expect(res.status, `${op.method} ${op.path} ${JSON.stringify(bad)}: ${res.text}`).toBe(400);
        validationShape.parse(res.json);
        noInternals(res.text);
      }
    }
  });

  it('names the field: body paths point into the body', async () => {
    const res = await admin.post('/api/v1/users', { email: 'not-an-email', role: 'superuser', password: 'short' });
    expect(res.status).toBe(400);
    const details = validationShape.parse(res.json).error.details.map((d) => d.path).sort();
    expect(details).toEqual(['body.email', 'body.password', 'body.role']);
  });

  it('answers 400 INVALID_JSON for unparsable JSON', async () => {
    for (const op of ops.filter((o) => o.requestBody)) {
      const res = await admin.request(op.method, concrete(op.path), { raw: '{"draft": ' });
      expect(res.status, `${op.method} ${op.path}`).toBe(400);
      expect(errorShape.parse(res.json).error.code).toBe('INVALID_JSON');
      noInternals(res.text);
    }
  });

  it('answers 415 for bodies that are not application/json, on every write route', async () => {
    for (const op of ops.filter((o) => o.method !== 'GET')) {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const res = await admin.request(op.method, concrete(op.path), { raw: 'a=1', contentType: type });
        expect(res.status, `${op.method} ${op.path} ${type}`).toBe(415);
        expect(errorShape.parse(res.json).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      }
    }
  });

  it('answers 413 for bodies over the limit', async () => {
    const huge = JSON.stringify({ draft: { name: 'x', pad: 'x'.repeat(3 * 1024 * 1024) } });
    for (const op of ops.filter((o) => o.requestBody)) {
      const res = await admin.request(op.method, concrete(op.path), { raw: huge });
      expect(res.status, `${op.method} ${op.path}`).toBe(413);
      expect(errorShape.parse(res.json).error.code).toBe('PAYLOAD_TOO_LARGE');
    }
    // Flows get 2 MB; other bodies much less.
    const midsize = { draft: { schemaVersion: 1, id: 'big-flow', name: 'Big', trigger: 'in', nodes: [{ id: 'in', type: 'testkit.hook', config: { pad: 'x'.repeat(1024 * 1024) } }] } };
    expect((await admin.post('/api/v1/flows', midsize)).status).toBe(201);
    expect((await admin.post('/api/v1/tokens', { name: 'x'.repeat(1024 * 1024) })).status).toBe(413);
  });

  it('answers 400 for malformed query and path parameters', async () => {
    let checked = 0;
    for (const op of ops) {
      for (const p of op.parameters ?? []) {
        const t = p.schema.type;
        const bad = t === 'integer' || t === 'number' ? 'abc' : p.schema.enum ? 'not-an-option' : p.name === 'from' || p.name === 'to' || p.name === 'since' || p.name === 'until' ? 'not-a-date' : p.schema.pattern ? '!!' : null;
        if (bad === null) continue;
        const url = p.in === 'query' ? `${concrete(op.path)}?${p.name}=${encodeURIComponent(bad)}` : concrete(op.path.replace(`{${p.name}}`, encodeURIComponent(bad)));
        const res = await admin.request(op.method, url, op.requestBody ? { body: {} } : {});
        expect(res.status, `${op.method} ${op.path} ${p.in} ${p.name}=${bad}: ${res.text}`).toBe(400);
        const v = validationShape.parse(res.json);
        expect(v.error.details.map((d) => d.path)).toContain(`${p.in === 'query' ? 'query' : 'params'}.${p.name}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(15);
  });

  it('answers requests that cannot be read with 400 or 415 and what is wrong, never a 500', async () => {
    const cases: Array<[string, string, { raw?: string; contentType?: string; headers?: Record<string, string> }, number, string]> = [
      ['GET', '/api/v1/flows/%E0%A4%A', {}, 400, 'BAD_REQUEST'],
      ['POST', '/api/v1/flows', { raw: '{"draft":{"name":"x"}}', contentType: 'application/json; charset=latin1' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['POST', '/api/v1/flows', { raw: '{"draft":{"name":"x"}}', headers: { 'content-encoding': 'xyz' } }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['POST', '/api/v1/flows', { raw: '{"draft":{"name":"x"}}', headers: { 'content-encoding': 'gzip' } }, 400, 'BAD_REQUEST'],
    ];
    for (const [method, url, opts, status, code] of cases) {
      const res = await admin.request(method, url, opts);
      expect(res.status, `${method} ${url} ${JSON.stringify(opts.headers ?? opts.contentType ?? '')}: ${res.text}`).toBe(status);
      expect(errorShape.parse(res.json).error.code).toBe(code);
      noInternals(res.text);
    }
    expect(h.logs.join('')).not.toMatch(/unhandled error/);
  });

  it('refuses a NUL character in stored text with 400 naming the field, and keeps it in a test run payload', async () => {
    const draft = await admin.post('/api/v1/flows', { draft: { name: 'nul\u0000name' } });
    expect(draft.status).toBe(400);
    expect(validationShape.parse(draft.json).error.details).toEqual([{ path: 'body.draft.name', message: 'contains a NUL character (\\u0000), which cannot be stored' }]);
    const token = await admin.post('/api/v1/tokens', { name: 'ci\u0000bot' });
    expect(validationShape.parse(token.json).error.details[0]?.path).toBe('body.name');
    const run = await admin.get('/api/v1/runs/%00');
    expect(validationShape.parse(run.json).error.details[0]?.path).toBe('params.id');
    await admin.post('/api/v1/flows', { draft: { schemaVersion: 1, id: 'nul-payload', name: 'NUL payload', trigger: 'in', nodes: [{ id: 'in', type: 'testkit.hook', config: {} }, { id: 'echo', type: 'testkit.echo', config: {} }], edges: [{ from: 'in', to: 'echo' }] } });
    const test = await admin.post('/api/v1/flows/nul-payload/test', { payload: { note: 'gate\u0000code' } });
    expect(test.status).toBe(200);
    expect((test.json as { run: { status: string; trigger: unknown } }).run).toMatchObject({ status: 'succeeded', trigger: { note: 'gate\u0000code' } });
  });

  it('refuses a time window that ends before it starts', async () => {
    const backwards = await admin.get('/api/v1/kpis?since=2026-11-23T00:00:00Z&until=2026-11-22T00:00:00Z');
    expect(backwards.status).toBe(400);
    expect(validationShape.parse(backwards.json).error.details).toEqual([{ path: 'query.since', message: 'must be before until (2026-11-22T00:00:00.000Z)' }]);
  });

  it('answers unknown routes with 404 JSON', async () => {
    for (const [m, p] of [['GET', '/api/v1/nothing'], ['PATCH', '/api/v1/flows'], ['GET', '/api/v2/flows']] as const) {
      const res = await admin.request(m, p);
      expect(res.status).toBe(404);
      expect(errorShape.parse(res.json).error.code).toBe('NOT_FOUND');
    }
  });
});

describe('README', () => {
  it('lists every route and every environment variable', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const op of ops) expect(readme, `${op.method} ${op.path}`).toContain(`| \`${op.method} ${op.path.replace(/\{(\w+)\}/g, ':$1')}\` |`);
    for (const [name] of ENV_VARS) expect(readme).toContain(`| \`${name}\` |`);
  });
});
