import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startFakeHttpServer, type OutageMode, type RecordedRequest } from '../http-server.ts';
import { ENTITIES, type EntitySetName, type Row } from './entities.ts';
import { handleODataRequest, type ApiResponse } from './odata.ts';
import { emptyBcState, findBy, insertRow, nextNumber, recomputeOrder, type BcState } from './state.ts';
import { seedCronus, type CronusSeed } from './seed.ts';

export type { BcState, Stored } from './state.ts';
export type { EntitySetName, Row } from './entities.ts';
export type { CronusSeed } from './seed.ts';

export interface FakeBusinessCentralOptions {
  tenantId?: string;
  environment?: string;
  companyId?: string;
  clientId?: string;
  clientSecret?: string;
  /** Server-driven page size (Business Central's maximum is 20,000). */
  pageSize?: number;
  /** Access token lifetime in seconds (Entra ID issues ~3599). */
  tokenTtlSeconds?: number;
  /** The fake's clock in ms (timestamps, token expiry). */
  now?: () => number;
  /** `cronus` (default) seeds customers and items matching the Shopify fake's SKUs; `empty` starts blank. */
  seed?: 'cronus' | 'empty';
}

/** A one-shot misbehaviour for the next matching request. */
export type BcFailure = (
  /** An HTTP error answer; `retryAfter` (seconds or an HTTP date) becomes the Retry-After header. */
  | { status: number; retryAfter?: number | string; body?: unknown }
  /** The connection is reset before the request is processed. */
  | { mode: 'reset' }
  /** The request is processed and committed, then the connection is dropped without an answer. */
  | { mode: 'drop-after-commit' }
  /** The request is processed and committed, then no answer ever comes (the client must time out). */
  | { mode: 'timeout-after-commit' }
) & { target?: 'api' | 'token'; method?: string; path?: RegExp };

export interface FakeBusinessCentral {
  /** Base URL; the token endpoint is `${url}/${tenantId}/oauth2/v2.0/token`. */
  readonly url: string;
  readonly tokenUrl: string;
  /** `${url}/v2.0/${tenant}/${environment}/api/v2.0` */
  readonly apiUrl: string;
  /** `${apiUrl}/companies(${companyId})` */
  readonly companyUrl: string;
  readonly tenantId: string;
  readonly environment: string;
  readonly companyId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly state: BcState;
  readonly requests: RecordedRequest[];
  /** The seeded records when started with `seed: 'cronus'`. */
  readonly cronus: CronusSeed | null;
  /** Rows of an entity set, in insertion order. */
  rows(set: EntitySetName): Row[];
  failNext(failure: BcFailure, times?: number): void;
  setOutage(mode: OutageMode): Promise<void>;
  setPageSize(n: number): void;
  /** Inserts a row as if created in the Business Central client. */
  insert(set: 'customers' | 'items', values: Row): Row;
  /** Changes a row as a user in Business Central would (bumps lastModifiedDateTime and the ETag). */
  update(set: 'customers' | 'items', id: string, patch: Row): Row;
  /** The shape the SDK's `connectorContract` expects of a fake server (structurally its `FakeServer`; API requests only). */
  contractServer(): ContractFakeServer;
  /**
   * Posts a shipment for a sales order (all outstanding quantities, or the given ones) and returns the shipment.
   * With `invoice: true` it is BC's "Ship and Invoice": once every line is shipped and invoiced, posting deletes the
   * sales order and its lines (only the posted shipment, and the posted invoice the fake does not serve, remain).
   */
  shipSalesOrder(orderIdOrNumber: string, opts?: { lines?: Array<{ lineObjectNumber: string; quantity: number }>; postingDate?: string; invoice?: boolean }): Row;
  close(): Promise<void>;
}

/** Structurally the connector SDK's testing `FakeServer` (the test package does not depend on the SDK). */
export interface ContractFakeServer {
  url: string;
  close(): Promise<void>;
  requests(): Array<{ method: string; path: string }>;
  failNext(status: number, opts?: { retryAfter?: number | string; json?: unknown; times?: number }): void;
}

const SCOPE = 'https://api.businesscentral.dynamics.com/.default';

function aadError(status: number, error: string, code: number, description: string): ApiResponse {
  const body = {
    error,
    error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${randomUUID()}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${new Date().toISOString()}`,
    error_codes: [code],
    timestamp: new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    trace_id: randomUUID(),
    correlation_id: randomUUID(),
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  };
  return { status, body, headers: {} };
}

/** Business Central's error body for a status the test forces. */
function errorFor(status: number): { code: string; message: string } {
  if (status === 401) return { code: 'Authentication_InvalidCredentials', message: 'The server has rejected the client credentials.' };
  if (status === 403) return { code: 'Authorization_InsufficientPermissions', message: 'You do not have the permissions required to access this resource.' };
  if (status === 404) return { code: 'BadRequest_NotFound', message: 'The specified resource was not found.' };
  if (status === 429) return { code: 'Application_TooManyRequests', message: 'Too many requests reached. Actual (101). Maximum (100).' };
  if (status === 503) return { code: 'ServiceUnavailable', message: 'The service is temporarily unavailable. Please try again later.' };
  return { code: 'InternalServerError', message: 'An unexpected error occurred.' };
}

function write(res: ServerResponse, r: ApiResponse): void {
  if (r.body === undefined) {
    res.writeHead(r.status, r.headers);
    res.end();
    return;
  }
  const text = JSON.stringify(r.body);
  res.writeHead(r.status, {
    'content-type': r.contentType ?? 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'request-id': randomUUID(),
    ...r.headers,
  });
  res.end(text);
}

/**
 * Starts a fake Dynamics 365 Business Central (API v2.0, OData v4) plus its Entra ID token endpoint on 127.0.0.1:<random port>.
 */
export async function startFakeBusinessCentral(opts: FakeBusinessCentralOptions = {}): Promise<FakeBusinessCentral> {
  const tenantId = opts.tenantId ?? 'northwind-tenant';
  const environment = opts.environment ?? 'production';
  const companyId = opts.companyId ?? 'a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601';
  const clientId = opts.clientId ?? '11111111-2222-3333-4444-555555555555';
  const clientSecret = opts.clientSecret ?? 'fake-client-secret';
  const now = opts.now ?? Date.now;
  const ttl = opts.tokenTtlSeconds ?? 3599;
  let pageSize = opts.pageSize ?? 20000;
  const state = emptyBcState(companyId, 'CRONUS USA, Inc.');
  const tokens = new Map<string, number>();
  const failures: BcFailure[] = [];
  const held: ServerResponse[] = [];

  const takeFailure = (target: 'api' | 'token', req: IncomingMessage): BcFailure | undefined => {
    const i = failures.findIndex(
      (f) => (f.target ?? 'api') === target && (!f.method || f.method.toUpperCase() === req.method) && (!f.path || f.path.test(decodeURIComponent(req.url ?? ''))),
    );
    return i === -1 ? undefined : failures.splice(i, 1)[0];
  };

  const handleToken = (path: string, body: Buffer): ApiResponse => {
    const tenant = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path)?.[1];
    if (tenant !== tenantId) return aadError(400, 'invalid_request', 90002, `Tenant '${tenant ?? ''}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    const form = new URLSearchParams(body.toString('utf8'));
    if (form.get('grant_type') !== 'client_credentials') return aadError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    if (form.get('client_id') !== clientId) return aadError(400, 'unauthorized_client', 700016, `Application with identifier '${form.get('client_id') ?? ''}' was not found in the directory '${tenantId}'.`);
    if (form.get('client_secret') !== clientSecret) return aadError(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.');
    if (form.get('scope') !== SCOPE) return aadError(400, 'invalid_scope', 1002012, `The provided value for scope ${form.get('scope') ?? ''} is not valid.`);
    const token = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ aud: 'https://api.businesscentral.dynamics.com', tid: tenantId, appid: clientId, n: randomUUID() })).toString('base64url')}.sig`;
    tokens.set(token, now() + ttl * 1000);
    return { status: 200, body: { token_type: 'Bearer', expires_in: ttl, ext_expires_in: ttl, access_token: token }, headers: {}, contentType: 'application/json; charset=utf-8' };
  };

  const authorized = (req: IncomingMessage): boolean => {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const exp = m ? tokens.get(m[1]!) : undefined;
    return exp !== undefined && exp > now();
  };

  let apiUrl = '';
  const server = await startFakeHttpServer({
    outageResponse: (res) => write(res, { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'The service is temporarily unavailable. Please try again later.' } }, headers: { 'retry-after': '5' } }),
    handler: (req, body, res) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const isToken = /\/oauth2\/v2\.0\/token$/.test(url.pathname);
      const failure = takeFailure(isToken ? 'token' : 'api', req);
      if (failure && 'mode' in failure && failure.mode === 'reset') {
        req.socket.destroy();
        return;
      }
      if (failure && 'status' in failure) {
        const headers: Record<string, string> = failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : failure.status === 429 ? { 'retry-after': '1' } : {};
        write(res, { status: failure.status, body: failure.body ?? { error: errorFor(failure.status) }, headers });
        return;
      }
      let response: ApiResponse;
      if (isToken) response = req.method === 'POST' ? handleToken(url.pathname, body) : { status: 405, body: { error: 'invalid_request' }, headers: {} };
      else if (!authorized(req)) {
        response = {
          status: 401,
          body: { error: { code: 'Authentication_InvalidCredentials', message: 'The server has rejected the client credentials.  CorrelationId:  ' + randomUUID() + '.' } },
          headers: { 'www-authenticate': 'Bearer authorization_uri="https://login.microsoftonline.com/' + tenantId + '/oauth2/authorize", resource_id="https://api.businesscentral.dynamics.com"' },
        };
      } else {
        response = handleODataRequest({ state, method: req.method ?? 'GET', url, body, headers: req.headers, tenantId, environment, apiUrl, pageSize, nowIso: () => new Date(now()).toISOString() });
      }
      if (failure && 'mode' in failure && failure.mode === 'drop-after-commit') {
        req.socket.destroy();
        return;
      }
      if (failure && 'mode' in failure && failure.mode === 'timeout-after-commit') {
        held.push(res);
        return;
      }
      write(res, response);
    },
  });
  apiUrl = `${server.url}/v2.0/${tenantId}/${environment}/api/v2.0`;
  const cronus = (opts.seed ?? 'cronus') === 'cronus' ? seedCronus(state, new Date(now()).toISOString()) : null;

  const resolveOrder = (idOrNumber: string): string => {
    if (state.tables.salesOrders.has(idOrNumber)) return idOrNumber;
    const s = findBy(state, 'salesOrders', 'number', idOrNumber);
    if (!s) throw new Error(`fake Business Central: no sales order ${idOrNumber}`);
    return s.row.id as string;
  };

  return {
    url: server.url,
    tokenUrl: `${server.url}/${tenantId}/oauth2/v2.0/token`,
    apiUrl,
    companyUrl: `${apiUrl}/companies(${companyId})`,
    tenantId,
    environment,
    companyId,
    clientId,
    clientSecret,
    state,
    requests: server.requests,
    cronus,
    rows: (set) => [...state.tables[set].values()].map((s) => s.row),
    failNext(failure, times = 1) {
      for (let i = 0; i < times; i++) failures.push(failure);
    },
    setOutage: (mode) => server.setOutage(mode),
    contractServer: () => ({
      url: server.url,
      close: () => server.close(),
      requests: () => server.requests.map((r) => ({ method: r.method, path: decodeURIComponent(r.path.split('?')[0]!) })),
      failNext: (status, o = {}) => {
        for (let i = 0; i < (o.times ?? 1); i++) failures.push({ status, ...(o.retryAfter !== undefined ? { retryAfter: o.retryAfter } : {}), ...(o.json !== undefined ? { body: o.json } : {}) });
      },
    }),
    setPageSize(n) {
      pageSize = n;
    },
    insert(set, values) {
      return insertRow(state, set, { number: set === 'customers' ? nextNumber(state, 'customer') : undefined, ...values, lastModifiedDateTime: new Date(now()).toISOString() });
    },
    update(set, id, patch) {
      const s = state.tables[set].get(id);
      if (!s) throw new Error(`fake Business Central: no ${set} row ${id}`);
      Object.assign(s.row, patch, { lastModifiedDateTime: new Date(now()).toISOString() });
      s.version++;
      return s.row;
    },
    shipSalesOrder(idOrNumber, o = {}) {
      const orderId = resolveOrder(idOrNumber);
      const order = state.tables.salesOrders.get(orderId)!;
      const at = new Date(now()).toISOString();
      const postingDate = o.postingDate ?? at.slice(0, 10);
      const lines = [...state.tables.salesOrderLines.values()].filter((l) => l.row.documentId === orderId && l.row.lineType === 'Item');
      const shipmentNo = nextNumber(state, 'salesShipment');
      const shipment = insertRow(state, 'salesShipments', {
        number: shipmentNo,
        externalDocumentNumber: order.row.externalDocumentNumber,
        documentDate: postingDate,
        postingDate,
        dueDate: postingDate,
        customerNumber: order.row.customerNumber,
        customerName: order.row.customerName,
        billToName: order.row.billToName,
        billToCustomerNumber: order.row.billToCustomerNumber,
        shipToName: order.row.shipToName,
        shipToContact: order.row.shipToContact,
        shipToAddressLine1: order.row.shipToAddressLine1,
        shipToAddressLine2: order.row.shipToAddressLine2,
        shipToCity: order.row.shipToCity,
        shipToState: order.row.shipToState,
        shipToPostCode: order.row.shipToPostCode,
        shipToCountry: order.row.shipToCountry,
        currencyCode: order.row.currencyCode,
        orderNumber: order.row.number,
        shipmentMethodCode: '',
        lastModifiedDateTime: at,
        email: order.row.email,
        phoneNumber: order.row.phoneNumber,
      });
      let seq = 10000;
      for (const l of lines) {
        const wanted = o.lines ? o.lines.find((x) => x.lineObjectNumber === l.row.lineObjectNumber)?.quantity ?? 0 : Number(l.row.quantity) - Number(l.row.shippedQuantity);
        const qty = Math.min(wanted, Number(l.row.quantity) - Number(l.row.shippedQuantity));
        if (qty <= 0) continue;
        l.row.shippedQuantity = Number(l.row.shippedQuantity) + qty;
        l.version++;
        insertRow(state, 'salesShipmentLines', {
          documentId: shipment.id,
          documentNo: shipmentNo,
          sequence: seq,
          lineType: 'Item',
          lineObjectNumber: l.row.lineObjectNumber,
          description: l.row.description,
          unitOfMeasureCode: l.row.unitOfMeasureCode,
          unitPrice: l.row.unitPrice,
          quantity: qty,
          discountPercent: l.row.discountPercent,
          taxPercent: l.row.taxPercent,
          shipmentDate: postingDate,
        });
        seq += 10000;
        const item = findBy(state, 'items', 'number', l.row.lineObjectNumber);
        if (item) {
          item.row.inventory = Number(item.row.inventory) - qty;
          item.row.lastModifiedDateTime = at;
          item.version++;
        }
      }
      recomputeOrder(state, orderId);
      order.row.lastModifiedDateTime = at;
      order.version++;
      if (o.invoice) {
        const orderLines = [...state.tables.salesOrderLines.values()].filter((l) => l.row.documentId === orderId);
        for (const l of orderLines) {
          // G/L account lines (freight) ship with the order when everything is posted.
          if (l.row.lineType !== 'Item' && !o.lines) l.row.shippedQuantity = l.row.quantity;
          l.row.invoicedQuantity = l.row.shippedQuantity;
          l.version++;
        }
        // Business Central's posting routine deletes a sales order once nothing is left to ship or invoice.
        if (orderLines.every((l) => Number(l.row.invoicedQuantity) >= Number(l.row.quantity))) {
          state.tables.salesOrders.delete(orderId);
          for (const l of orderLines) state.tables.salesOrderLines.delete(l.row.id as string);
        }
      }
      return shipment;
    },
    async close() {
      for (const res of held.splice(0)) res.destroy();
      await server.close();
    },
  };
}

export { ENTITIES };
