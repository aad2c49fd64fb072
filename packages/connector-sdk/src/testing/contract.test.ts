import { z } from 'zod';
import { auth } from '../auth.ts';
import { defineAction, defineConnector, defineTrigger } from '../define.ts';
import { createHttpClient } from '../http.ts';
import type { ActionContext } from '../context.ts';
import { toJsonValue } from '../json.ts';
import { collect, paginateLinkHeader } from '../pagination.ts';
import { prop } from '../props.ts';
import { headerValue } from '../webhook.ts';
import { connectorContract } from './contract.ts';
import { startFakeServer } from './fake-server.ts';

// A small connector written the way vendor connectors are, to prove the kit runs end to end.
const acmeAuth = auth.apiToken({ header: 'X-Acme-Token', prefix: '', props: { baseUrl: prop.string({ label: 'Base URL', required: true }) } });
const client = (ctx: ActionContext<unknown>) =>
  createHttpClient({ baseUrl: String(ctx.connection?.config['baseUrl']), auth: acmeAuth, connection: ctx.connection, services: ctx, signal: ctx.signal, retry: { attempts: 2 } });

const customerSchema = z.object({ id: z.string(), name: z.string() });

const acme = defineConnector({
  id: 'acme',
  label: 'Acme ERP',
  description: 'Test connector',
  auth: acmeAuth,
  triggers: [
    defineTrigger({
      name: 'customerChanged',
      label: 'Customer changed',
      description: 'Acme calls us when a customer changes',
      source: 'webhook',
      signature: 'hmac-sha256',
      props: {},
      exampleProps: {},
      parse: (req) => ({ payload: req.body, ...(headerValue(req.headers, 'x-acme-delivery') ? { deliveryId: headerValue(req.headers, 'x-acme-delivery') as string } : {}) }),
    }),
  ],
  actions: [
    defineAction({
      name: 'getCustomer',
      label: 'Get customer',
      description: 'One customer by id',
      props: { id: prop.string({ label: 'Customer id', required: true }) },
      exampleProps: { id: 'C1' },
      sampleOutput: { id: 'C1', name: 'Ada' },
      async run(ctx) {
        return toJsonValue((await client(ctx).get(`customers/${encodeURIComponent(ctx.props.id)}`, { schema: customerSchema })).body);
      },
    }),
    defineAction({
      name: 'listCustomers',
      label: 'List customers',
      description: 'Every customer',
      props: { pageSize: prop.integer({ label: 'Page size', default: 2, min: 1 }) },
      exampleProps: {},
      async run(ctx) {
        return toJsonValue(await collect(paginateLinkHeader(client(ctx), { path: 'customers', query: { limit: ctx.props.pageSize } })));
      },
    }),
  ],
});

const CUSTOMERS = [
  { id: 'C1', name: 'Ada' },
  { id: 'C2', name: 'Bo' },
  { id: 'C3', name: 'Cy' },
  { id: 'C4', name: 'Di' },
  { id: 'C5', name: 'Ed' },
];

connectorContract(acme, {
  fakeServer: () =>
    startFakeServer([
      {
        method: 'GET',
        path: /^\/customers\/[^/]+$/,
        respond: (r) => {
          const c = CUSTOMERS.find((x) => `/customers/${x.id}` === r.path);
          return c ? { json: c } : { status: 404, json: { error: 'not found' } };
        },
      },
      {
        method: 'GET',
        path: '/customers',
        respond: (r) => {
          const limit = Number(r.query.get('limit'));
          const offset = Number(r.query.get('offset') ?? '0');
          const next = offset + limit < CUSTOMERS.length ? { link: `</customers?limit=${limit}&offset=${offset + limit}>; rel="next"` } : ({} as Record<string, string>);
          return { json: CUSTOMERS.slice(offset, offset + limit), headers: next };
        },
      },
    ]),
  connectionFor: (url) => ({ id: 'acme-1', name: 'Acme', connector: 'acme', config: { baseUrl: url }, secrets: { token: 't0k' } }),
  pagination: { action: 'listCustomers', expectedItems: 5, expectedRequests: 3 },
  expectedRequests: [
    { method: 'GET', path: /^\/customers\/[^/]+$/ },
    { method: 'GET', path: '/customers' },
  ],
});
