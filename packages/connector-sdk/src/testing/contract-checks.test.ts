import { describe, expect, it } from 'vitest';
import type { ActionContext } from '../context.ts';
import { defineAction, defineConnector, type ActionDefinition } from '../define.ts';
import { auth } from '../auth.ts';
import { createHttpClient } from '../http.ts';
import { toJsonValue } from '../json.ts';
import { prop, type PropDefs } from '../props.ts';
import { contractChecks, type ContractOptions } from './contract.ts';
import { startFakeServer } from './fake-server.ts';

// The suite must catch the connectors it exists to catch: each broken variant fails exactly the check named.

const a = auth.apiToken();
const http = (ctx: ActionContext<unknown>) => createHttpClient({ baseUrl: String(ctx.connection?.config['baseUrl']), auth: a, connection: ctx.connection, services: ctx });

const getThing = defineAction({
  name: 'getThing',
  label: 'Get thing',
  description: 'x',
  props: {},
  exampleProps: {},
  async run(ctx) {
    return toJsonValue((await http(ctx).get('things/1')).body);
  },
});
const listThings = defineAction({
  name: 'listThings',
  label: 'List things',
  description: 'x',
  props: {},
  exampleProps: {},
  async run(ctx) {
    return toJsonValue((await http(ctx).get('things', { query: { page: 1 } })).body); // ignores every page after the first
  },
});

const connectorWith = (actions: Array<ActionDefinition<PropDefs>>) => defineConnector({ id: 'acme', label: 'Acme', description: 'x', auth: a, actions, triggers: [] });

const options: ContractOptions = {
  fakeServer: () =>
    startFakeServer([
      { method: 'GET', path: '/things/1', respond: () => ({ json: { id: 1 } }) },
      { method: 'GET', path: '/things', respond: (r) => ({ json: r.query.get('page') === '1' ? [1, 2] : [3] }) },
    ]),
  connectionFor: (url) => ({ id: 'c', name: 'c', connector: 'acme', config: { baseUrl: url }, secrets: { token: 't' } }),
  probe: { action: 'getThing' },
};

async function failing(actions: Array<ActionDefinition<PropDefs>>, opts: ContractOptions = options): Promise<string[]> {
  const out: string[] = [];
  for (const c of contractChecks(connectorWith(actions), opts)) {
    if (c.skip !== undefined) continue;
    try {
      await c.run();
    } catch {
      out.push(c.name);
    }
  }
  return out;
}

describe('contractChecks', () => {
  it('passes a well-behaved connector', async () => {
    expect(await failing([getThing])).toEqual([]);
  });

  it('catches metadata that is not plain JSON', async () => {
    const bad = defineAction({ ...getThing, name: 'bad', props: { when: prop.json({ label: 'When', default: new Date(0) }) }, exampleProps: {} });
    expect(await failing([getThing, bad])).toEqual(['metadata is plain JSON (what the designer receives equals what the connector declares)']);
  });

  it('catches missing or invalid exampleProps', async () => {
    const { exampleProps: _drop, ...noExample } = getThing;
    const wrong = defineAction({ ...getThing, name: 'wrong', props: { n: prop.integer({ label: 'N', required: true }) }, exampleProps: { n: 'x' } });
    expect(await failing([getThing, defineAction({ ...noExample, name: 'none' }), wrong])).toEqual(['none declares exampleProps that parse', 'wrong declares exampleProps that parse']);
  });

  it('catches a connector that swallows vendor errors', async () => {
    const swallowing = defineAction({ ...getThing, run: async (ctx) => http(ctx).get('things/1').then((r) => toJsonValue(r.body), () => null) });
    expect(await failing([swallowing])).toEqual([
      'acme.getThing: HTTP 401 becomes AUTH_INVALID, not retryable',
      'acme.getThing: HTTP 429 becomes RATE_LIMITED, retryable, with retryAfterMs from Retry-After',
      'acme.getThing: HTTP 500 becomes UPSTREAM_UNAVAILABLE, retryable',
    ]);
  });

  it('catches a listing that stops after the first page', async () => {
    expect(await failing([getThing, listThings], { ...options, pagination: { action: 'listThings', expectedItems: 3 } })).toEqual(['acme.listThings follows pagination to the end']);
  });

  it('catches requests the fake did not expect', async () => {
    const chatty = defineAction({ ...getThing, run: async (ctx) => (await http(ctx).get('things/1', { successCodes: [200] }), toJsonValue((await http(ctx).get('debug/ping', { successCodes: [200, 404] })).body)) });
    const names = await failing([chatty]);
    expect(names).toContain('acme.getThing succeeds against the fake and returns JSON');
  });
});
