import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import express from 'express';
import { buildOpenApi } from '../src/api/openapi.ts';
import { ApiRoutes } from '../src/api/route.ts';
import { errorMiddleware } from '../src/http/errors.ts';

const body = z.object({ name: z.string().min(2), tags: z.array(z.string()).max(3).default([]) }).strict();
const query = z.object({ limit: z.coerce.number().int().min(1).max(10).optional().describe('page size') });

function table(): ApiRoutes {
  const r = new ApiRoutes({ identify: async () => null });
  r.route({ method: 'post', path: '/things/:thingId/parts', auth: 'public', summary: 'Add a part', body, query, response: z.object({ ok: z.boolean() }), status: 201 }, ({ body: b, params, query: q }) => ({ ok: true, b, params, q }));
  r.route({ method: 'get', path: '/secret', auth: 'admin', summary: 'Admins only' }, () => ({ ok: true }));
  return r;
}

describe('route(): one declaration, two uses', () => {
  it('documents the operation from the very schemas that validate it', () => {
    const doc = buildOpenApi(table().operations, { version: 't' }) as { openapi: string; paths: Record<string, Record<string, Record<string, unknown>>> };
    expect(doc.openapi).toBe('3.1.0');
    const op = doc.paths['/things/{thingId}/parts']!['post']!;
    expect(op['operationId']).toBe('postThingsByThingIdParts');
    expect(op['x-required-role']).toBe('public');
    expect(op['security']).toEqual([]);
    const schema = (op['requestBody'] as { content: { 'application/json': { schema: Record<string, unknown> } } }).content['application/json'].schema;
    const expected = z.toJSONSchema(body, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
    delete expected['$schema'];
    expect(schema).toEqual(expected);
    expect(op['parameters']).toEqual([
      { name: 'thingId', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 200 } },
      { name: 'limit', in: 'query', required: false, schema: expect.objectContaining({ type: 'integer', minimum: 1, maximum: 10 }), description: 'page size' },
    ]);
    expect(Object.keys(op['responses'] as object).sort()).toEqual(['201', '400', '413', '415']);
    const secret = doc.paths['/secret']!['get']!;
    expect(secret['security']).toEqual([{ session: [] }, { bearer: [] }]);
    expect(Object.keys(secret['responses'] as object).sort()).toEqual(['204', '400', '401', '403']);
  });

  it('validates with the same schemas: defaults applied, coercion done, unknown fields refused', async () => {
    const app = express();
    app.use(table().router);
    app.use(errorMiddleware({ error: () => {} }));
    const server = app.listen(0);
    try {
      const port = (server.address() as { port: number }).port;
      const post = (b: unknown, qs = '') => fetch(`http://127.0.0.1:${port}/things/t1/parts${qs}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
      const ok = await post({ name: 'gear' }, '?limit=3');
      expect(ok.status).toBe(201);
      expect(await ok.json()).toEqual({ ok: true, b: { name: 'gear', tags: [] }, params: { thingId: 't1' }, q: { limit: 3 } });
      const bad = await post({ name: 'g', tags: ['a', 'b', 'c', 'd'], extra: 1 }, '?limit=0');
      expect(bad.status).toBe(400);
      const details = ((await bad.json()) as { error: { details: Array<{ path: string }> } }).error.details.map((d) => d.path).sort();
      expect(details).toEqual(['query.limit']);
      const bad2 = await post({ name: 'g', tags: ['a', 'b', 'c', 'd'], extra: 1 });
      expect(((await bad2.json()) as { error: { details: Array<{ path: string }> } }).error.details.map((d) => d.path).sort()).toEqual(['body.extra', 'body.name', 'body.tags']);
      const forbidden = await fetch(`http://127.0.0.1:${port}/secret`);
      expect(forbidden.status).toBe(401);
    } finally {
      server.close();
    }
  });
});
