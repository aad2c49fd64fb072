import { defineAction, prop, toJsonValue } from '@tributary/connector-sdk';
import { z } from 'zod';

/**
 * `core.respond`: the HTTP answer for a webhook trigger in `sync` response mode. Its output
 * `{ status, headers, body }` is what the server sends back; the server finds it by node type.
 * In `async` mode (and for other triggers) it is an ordinary step whose output nobody sends.
 */
export const respondAction = defineAction({
  name: 'respond',
  label: 'Respond to webhook',
  description: 'Set the HTTP response of a webhook whose trigger is in "sync" response mode. Output: { status, headers, body }.',
  group: 'Logic',
  kind: 'logic',
  runsIn: 'host',
  props: {
    status: prop.integer({ label: 'Status code', default: 200, min: 100, max: 599 }),
    body: prop.json({ label: 'Body (JSON)' }),
    headers: prop.object({ label: 'Headers', schema: z.record(z.string(), z.string()) }),
  },
  exampleProps: { status: 202, body: { accepted: true } },
  sampleOutput: { status: 200, headers: { 'content-type': 'application/json' }, body: { ok: true } },
  async run(ctx) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(ctx.props.headers ?? {})) headers[k.toLowerCase()] = v;
    const body = toJsonValue(ctx.props.body ?? null);
    if (body !== null && !('content-type' in headers)) headers['content-type'] = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
    return { status: ctx.props.status, headers, body };
  },
});
