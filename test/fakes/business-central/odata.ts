import type { IncomingHttpHeaders } from 'node:http';
import { ENTITIES, type EntityDef, type EntitySetName, type Row } from './entities.ts';
import { matches, ODataFilterError, parseFilter, type FieldType } from './odata-filter.ts';
import { computeLine, etagOf, findBy, insertRow, nextNumber, recomputeOrder, type BcState, type Stored } from './state.ts';

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers: Record<string, string>;
  contentType?: string;
}

export interface ODataRequest {
  state: BcState;
  method: string;
  url: URL;
  body: Buffer;
  headers: IncomingHttpHeaders;
  tenantId: string;
  environment: string;
  apiUrl: string;
  pageSize: number;
  nowIso(): string;
}

const PATH = /^\/v2\.0\/([^/]+)\/([^/]+)\/api\/v2\.0\/companies(?:\(([^)]*)\)(?:\/(\w+)(?:\(([^)]*)\))?(?:\/(\w+))?)?)?\/?$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SUPPORTED_OPTIONS = new Set(['$filter', '$top', '$skip', '$orderby', '$expand', '$select', '$skiptoken', '$count', 'company', 'tenant']);

class ODataError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const notFound = (what = 'The specified resource was not found.'): ODataError => new ODataError(404, 'BadRequest_NotFound', what);
const badRequest = (message: string): ODataError => new ODataError(400, 'BadRequest', message);

function unquoteKey(raw: string): string {
  const k = decodeURIComponent(raw);
  return k.startsWith("'") && k.endsWith("'") ? k.slice(1, -1) : k;
}

function isSet(name: string | undefined): name is EntitySetName {
  return name !== undefined && name in ENTITIES;
}

function checkType(field: string, type: FieldType, value: unknown): void {
  if (value === null) return;
  const bad = (edm: string): never => {
    throw badRequest(`Cannot convert the literal '${typeof value === 'string' ? value : JSON.stringify(value)}' to the expected type '${edm}'.`);
  };
  switch (type) {
    case 'string':
      if (typeof value !== 'string') bad('Edm.String');
      return;
    case 'number':
      if (typeof value !== 'number') bad('Edm.Decimal');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') bad('Edm.Boolean');
      return;
    case 'guid':
      if (typeof value !== 'string' || !GUID.test(value)) bad('Edm.Guid');
      return;
    case 'date':
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) bad('Edm.Date');
      return;
    case 'datetime':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) bad('Edm.DateTimeOffset');
      return;
  }
  void field;
}

/** Keeps writable, typed properties; rejects unknown ones with OData's message (as BC does). */
function writableProps(def: EntityDef, body: Record<string, unknown>, allowChildren: boolean): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(body)) {
    if (k.startsWith('@odata.')) continue;
    if (allowChildren && def.children && k in def.children) continue;
    const type = def.fields[k];
    if (!type) throw badRequest(`The property '${k}' does not exist on type 'Microsoft.NAV.${def.type}'. Make sure to only use property names that are defined by the type.`);
    checkType(k, type, v);
    if (def.readOnly.includes(k)) continue;
    out[k] = v;
  }
  return out;
}

function parseJsonBody(body: Buffer): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    throw badRequest('Invalid Request Body');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badRequest('Invalid Request Body');
  return v as Record<string, unknown>;
}

/**
 * Serves one OData request against the in-memory company: GET with $filter/$top/$skip/$orderby/$select/$expand and
 * server-driven paging, POST (with deep insert of sales order lines), PATCH and DELETE guarded by If-Match.
 */
export function handleODataRequest(r: ODataRequest): ApiResponse {
  try {
    return route(r);
  } catch (e) {
    if (e instanceof ODataError) return { status: e.status, body: { error: { code: e.code, message: e.message } }, headers: {} };
    if (e instanceof ODataFilterError) return { status: 400, body: { error: { code: 'BadRequest', message: e.message } }, headers: {} };
    throw e;
  }
}

function route(r: ODataRequest): ApiResponse {
  const m = PATH.exec(r.url.pathname);
  if (!m) throw notFound();
  const [, tenant, env, rawCompany, set, rawKey, nav] = m;
  if (tenant !== r.tenantId) throw new ODataError(401, 'Authentication_InvalidCredentials', 'The credentials provided are incorrect');
  if (env !== r.environment) throw new ODataError(404, 'NoEnvironment', `Cannot find environment '${env}'.`);
  for (const k of r.url.searchParams.keys()) if (k.startsWith('$') && !SUPPORTED_OPTIONS.has(k)) throw badRequest(`The query parameter '${k}' is not supported.`);
  const s = r.state;
  const companyUrl = `${r.apiUrl}/companies(${s.companyId})`;

  if (rawCompany === undefined) {
    if (r.method !== 'GET') throw new ODataError(405, 'BadRequest_MethodNotAllowed', `'${r.method}' requests for 'companies' of EdmType 'Entity' are not allowed within Dynamics 365 Business Central OData web services.`);
    return ok({ '@odata.context': `${r.apiUrl}/$metadata#companies`, value: [{ id: s.companyId, systemVersion: '25.0.0.0', timestamp: 1, name: s.companyName, displayName: s.companyName, businessProfileId: '', systemCreatedAt: '2024-01-01T00:00:00Z', systemCreatedBy: '00000000-0000-0000-0000-000000000001', systemModifiedAt: '2024-01-01T00:00:00Z', systemModifiedBy: '00000000-0000-0000-0000-000000000001' }] });
  }
  if (unquoteKey(rawCompany) !== s.companyId) throw new ODataError(404, 'BadRequest_NotFound', `Cannot process the request because the company '${unquoteKey(rawCompany)}' cannot be found.`);
  if (!isSet(set)) throw notFound(`Resource not found for the segment '${set ?? ''}'.`);
  const def = ENTITIES[set];

  if (rawKey === undefined) {
    if (nav !== undefined) throw notFound();
    if (r.method === 'GET') return collection(r, set, [...s.tables[set].values()], `${companyUrl}/${set}`, `#companies(${s.companyId})/${set}`);
    if (r.method === 'POST') return create(r, set, parseJsonBody(r.body), companyUrl, null);
    throw new ODataError(405, 'BadRequest_MethodNotAllowed', `'${r.method}' requests for '${set}' of EdmType 'EntitySet' are not allowed within Dynamics 365 Business Central OData web services.`);
  }

  const key = unquoteKey(rawKey);
  if (!GUID.test(key)) throw badRequest(`Bad Request - Error in query syntax.`);
  const stored = s.tables[set].get(key.toLowerCase()) ?? s.tables[set].get(key);
  if (!stored) throw new ODataError(404, 'Internal_RecordNotFound', `The ${def.type} does not exist. Identification fields and values: Id='${key}'`);

  if (nav !== undefined) {
    const child = def.children?.[nav];
    if (!child) throw notFound(`Resource not found for the segment '${nav}'.`);
    if (r.method === 'GET') {
      const rows = [...s.tables[child.set].values()].filter((x) => x.row[child.foreignKey] === stored.row.id);
      return collection(r, child.set, rows, `${companyUrl}/${set}(${key})/${nav}`, `#companies(${s.companyId})/${set}(${key})/${nav}`);
    }
    if (r.method === 'POST' && child.set === 'salesOrderLines') return create(r, 'salesOrderLines', parseJsonBody(r.body), companyUrl, stored.row.id as string);
    throw new ODataError(405, 'BadRequest_MethodNotAllowed', `'${r.method}' requests for '${nav}' are not allowed within Dynamics 365 Business Central OData web services.`);
  }

  if (r.method === 'GET') {
    const expanded = expand(r, set, stored.row);
    return ok({ '@odata.context': `${r.apiUrl}/$metadata#companies(${s.companyId})/${set}/$entity`, ...entity(stored, set, expanded, select(r, set)) }, { etag: etagOf(stored.row.id as string, stored.version) });
  }
  if (r.method === 'PATCH' || r.method === 'DELETE') {
    if (!def.writable) throw new ODataError(405, 'BadRequest_MethodNotAllowed', `'${r.method}' requests for '${set}' of EdmType 'Entity' are not allowed within Dynamics 365 Business Central OData web services.`);
    const ifMatch = r.headers['if-match'];
    if (!ifMatch) throw badRequest('The request must include an If-Match header with the ETag of the entity (or *).');
    if (ifMatch !== '*' && ifMatch !== etagOf(stored.row.id as string, stored.version)) {
      throw new ODataError(412, 'Request_EntityChanged', 'Could not save the changes because the record was changed by another user or process. Refresh the record and try again.');
    }
    if (r.method === 'DELETE') {
      s.tables[set].delete(stored.row.id as string);
      if (set === 'salesOrders') for (const [id, l] of s.tables.salesOrderLines) if (l.row.documentId === stored.row.id) s.tables.salesOrderLines.delete(id);
      if (set === 'salesOrderLines') recomputeOrder(s, stored.row.documentId as string);
      return { status: 204, headers: {} };
    }
    const patch = writableProps(def, parseJsonBody(r.body), false);
    if (set === 'customers' && typeof patch.number === 'string' && patch.number !== stored.row.number && findBy(s, 'customers', 'number', patch.number)) {
      throw new ODataError(400, 'Internal_EntityWithSameKeyExists', `The record already exists. Identification fields and values: No.='${patch.number}'`);
    }
    Object.assign(stored.row, patch);
    if (set === 'salesOrderLines') {
      computeLine(stored.row);
      recomputeOrder(s, stored.row.documentId as string);
    }
    if ('lastModifiedDateTime' in def.fields) stored.row.lastModifiedDateTime = r.nowIso();
    stored.version++;
    return ok({ '@odata.context': `${r.apiUrl}/$metadata#companies(${s.companyId})/${set}/$entity`, ...entity(stored, set, {}, null) }, { etag: etagOf(stored.row.id as string, stored.version) });
  }
  throw new ODataError(405, 'BadRequest_MethodNotAllowed', `'${r.method}' requests are not allowed here.`);
}

function ok(body: unknown, headers: Record<string, string> = {}, status = 200): ApiResponse {
  return { status, body, headers: { 'odata-version': '4.0', ...headers } };
}

function select(r: ODataRequest, set: EntitySetName): string[] | null {
  const raw = r.url.searchParams.get('$select');
  if (!raw) return null;
  const fields = raw.split(',').map((f) => f.trim()).filter(Boolean);
  for (const f of fields) if (!(f in ENTITIES[set].fields)) throw badRequest(`Could not find a property named '${f}' on type 'Microsoft.NAV.${ENTITIES[set].type}'.`);
  return fields;
}

function entity(stored: Stored, set: EntitySetName, expanded: Record<string, unknown>, fields: string[] | null): Row {
  const row = fields ? Object.fromEntries(fields.map((f) => [f, stored.row[f]])) : { ...stored.row };
  void set;
  return { '@odata.etag': etagOf(stored.row.id as string, stored.version), ...row, ...expanded };
}

function expandNames(r: ODataRequest, set: EntitySetName): string[] {
  const raw = r.url.searchParams.get('$expand');
  if (!raw) return [];
  const names = raw.split(',').map((x) => x.trim()).filter(Boolean);
  for (const n of names) if (!ENTITIES[set].children?.[n]) throw badRequest(`Could not find a property named '${n}' on type 'Microsoft.NAV.${ENTITIES[set].type}'.`);
  return names;
}

function expand(r: ODataRequest, set: EntitySetName, row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const n of expandNames(r, set)) {
    const child = ENTITIES[set].children![n]!;
    out[n] = [...r.state.tables[child.set].values()]
      .filter((x) => x.row[child.foreignKey] === row.id)
      .sort((a, b) => Number(a.row.sequence) - Number(b.row.sequence))
      .map((x) => entity(x, child.set, {}, null));
  }
  return out;
}

function intOption(r: ODataRequest, name: string): number | undefined {
  const raw = r.url.searchParams.get(name);
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw)) throw badRequest(`Invalid value '${raw}' for $${name.slice(1)} query option found. The $${name.slice(1)} query option requires a non-negative integer value.`);
  return Number(raw);
}

function collection(r: ODataRequest, set: EntitySetName, rows: Stored[], selfUrl: string, context: string): ApiResponse {
  const def = ENTITIES[set];
  let list = rows;
  const filter = r.url.searchParams.get('$filter');
  if (filter) {
    const node = parseFilter(filter, def.fields, def.type);
    list = list.filter((x) => matches(node, x.row, def.fields));
  }
  const orderby = r.url.searchParams.get('$orderby');
  if (orderby) {
    const keys = orderby.split(',').map((part) => {
      const [field = '', dir = 'asc'] = part.trim().split(/\s+/);
      if (!(field in def.fields)) throw badRequest(`Could not find a property named '${field}' on type 'Microsoft.NAV.${def.type}'.`);
      return { field, desc: dir.toLowerCase() === 'desc' };
    });
    list = [...list].sort((a, b) => {
      for (const k of keys) {
        const x = a.row[k.field];
        const y = b.row[k.field];
        const c = def.fields[k.field] === 'datetime' ? Date.parse(String(x)) - Date.parse(String(y)) : x! < y! ? -1 : x! > y! ? 1 : 0;
        if (c !== 0) return k.desc ? -c : c;
      }
      return 0;
    });
  }
  const skip = intOption(r, '$skip') ?? 0;
  const top = intOption(r, '$top');
  let offset = 0;
  const token = r.url.searchParams.get('$skiptoken');
  if (token) {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
      offset = typeof parsed === 'object' && parsed !== null && typeof (parsed as { o?: unknown }).o === 'number' ? (parsed as { o: number }).o : NaN;
    } catch {
      offset = NaN;
    }
    if (!Number.isFinite(offset)) throw badRequest('The skip token value is invalid.');
  }
  const wanted = top === undefined ? Infinity : top - offset;
  // Clients may ask for smaller pages with `Prefer: odata.maxpagesize=N`; the server's page size still caps it.
  const preferred = /odata\.maxpagesize=(\d+)/i.exec(String(r.headers.prefer ?? ''))?.[1];
  const pageSize = preferred ? Math.min(r.pageSize, Math.max(1, Number(preferred))) : r.pageSize;
  const take = Math.max(0, Math.min(pageSize, wanted));
  const start = skip + offset;
  const page = list.slice(start, start + take);
  const fields = select(r, set);
  const body: Record<string, unknown> = {
    '@odata.context': `${r.apiUrl}/$metadata${context}`,
    value: page.map((x) => entity(x, set, expand(r, set, x.row), fields)),
  };
  const nextOffset = offset + page.length;
  if (start + page.length < list.length && nextOffset < (top ?? Infinity)) {
    // Business Central writes system query options with a literal `$` (…/customers?$skiptoken=…).
    const params = [...r.url.searchParams].filter(([k]) => k !== '$skiptoken');
    params.push(['$skiptoken', Buffer.from(JSON.stringify({ o: nextOffset })).toString('base64url')]);
    body['@odata.nextLink'] = `${selfUrl}?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
  }
  return ok(body, preferred ? { 'preference-applied': `odata.maxpagesize=${pageSize}` } : {});
}

function create(r: ODataRequest, set: EntitySetName, body: Record<string, unknown>, companyUrl: string, parentOrderId: string | null): ApiResponse {
  const s = r.state;
  const def = ENTITIES[set];
  if (!def.writable) throw new ODataError(405, 'BadRequest_MethodNotAllowed', `'POST' requests for '${set}' of EdmType 'EntitySet' are not allowed within Dynamics 365 Business Central OData web services.`);
  const values = writableProps(def, body, set === 'salesOrders');
  const now = r.nowIso();
  let row: Row;
  if (set === 'customers') {
    if (typeof values.number === 'string' && values.number && findBy(s, 'customers', 'number', values.number)) {
      throw new ODataError(400, 'Internal_EntityWithSameKeyExists', `The record already exists. Identification fields and values: No.='${values.number}'`);
    }
    row = insertRow(s, 'customers', { type: 'Company', currencyCode: '', blocked: ' ', taxLiable: true, ...values, number: values.number || nextNumber(s, 'customer'), lastModifiedDateTime: now });
  } else if (set === 'items') {
    if (typeof values.number === 'string' && values.number && findBy(s, 'items', 'number', values.number)) {
      throw new ODataError(400, 'Internal_EntityWithSameKeyExists', `The record already exists. Identification fields and values: No.='${values.number}'`);
    }
    row = insertRow(s, 'items', { type: 'Inventory', baseUnitOfMeasureCode: 'PCS', ...values, lastModifiedDateTime: now });
  } else if (set === 'salesOrders') {
    row = createSalesOrder(r, values, Array.isArray(body.salesOrderLines) ? body.salesOrderLines : [], now);
  } else if (set === 'salesOrderLines') {
    const orderId = parentOrderId ?? (typeof values.documentId === 'string' ? values.documentId : '');
    if (!s.tables.salesOrders.has(orderId)) throw new ODataError(400, 'Internal_RecordNotFound', `The salesOrder does not exist. Identification fields and values: Id='${orderId}'`);
    row = createLine(r, orderId, body, now);
    recomputeOrder(s, orderId);
  } else {
    throw new ODataError(405, 'BadRequest_MethodNotAllowed', `'POST' requests for '${set}' are not allowed.`);
  }
  const stored = s.tables[set].get(row.id as string)!;
  const expanded = expand(r, set, row);
  return ok({ '@odata.context': `${r.apiUrl}/$metadata#companies(${s.companyId})/${set}/$entity`, ...entity(stored, set, expanded, null) }, { etag: etagOf(row.id as string, stored.version), location: `${companyUrl}/${set}(${String(row.id)})` }, 201);
}

function createLine(r: ODataRequest, orderId: string, raw: unknown, now: string): Row {
  const s = r.state;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badRequest('Invalid Request Body');
  const values = writableProps(ENTITIES.salesOrderLines, raw as Record<string, unknown>, false);
  const lineType = typeof values.lineType === 'string' && values.lineType ? values.lineType : 'Item';
  const existing = [...s.tables.salesOrderLines.values()].filter((l) => l.row.documentId === orderId);
  const sequence = typeof values.sequence === 'number' && values.sequence > 0 ? values.sequence : (existing.length + 1) * 10000;
  const line: Row = { ...values, documentId: orderId, lineType, sequence, shipmentDate: (s.tables.salesOrders.get(orderId)?.row.orderDate as string) ?? now.slice(0, 10) };
  if (lineType === 'Item') {
    const item = typeof values.itemId === 'string' ? s.tables.items.get(values.itemId) : typeof values.lineObjectNumber === 'string' ? findBy(s, 'items', 'number', values.lineObjectNumber) : undefined;
    if (!item) {
      throw new ODataError(400, 'Internal_RecordNotFound', `The Item does not exist. Identification fields and values: No.='${String(values.lineObjectNumber ?? values.itemId ?? '')}'`);
    }
    if (item.row.blocked === true) throw new ODataError(400, 'Application_DialogException', `You cannot sell item ${String(item.row.number)} because the Blocked check box is selected on the item card.`);
    line.itemId = item.row.id;
    line.lineObjectNumber = item.row.number;
    if (!line.description) line.description = item.row.displayName;
    if (line.unitPrice === undefined) line.unitPrice = item.row.unitPrice;
    line.unitOfMeasureCode = line.unitOfMeasureCode || item.row.baseUnitOfMeasureCode;
  }
  if (typeof line.quantity === 'number' && line.quantity < 0) throw new ODataError(400, 'Application_DialogException', 'Quantity must be positive.');
  const row = insertRow(s, 'salesOrderLines', line);
  computeLine(row);
  return row;
}

function createSalesOrder(r: ODataRequest, values: Row, lines: unknown[], now: string): Row {
  const s = r.state;
  const customer =
    typeof values.customerId === 'string' && values.customerId !== '00000000-0000-0000-0000-000000000000'
      ? s.tables.customers.get(values.customerId)
      : typeof values.customerNumber === 'string' && values.customerNumber
        ? findBy(s, 'customers', 'number', values.customerNumber)
        : undefined;
  if (!customer) {
    throw new ODataError(400, 'Internal_RecordNotFound', `The Customer does not exist. Identification fields and values: No.='${String(values.customerNumber ?? values.customerId ?? '')}'`);
  }
  if (customer.row.blocked === 'All') throw new ODataError(400, 'Application_DialogException', `You cannot create this type of document when Customer ${String(customer.row.number)} is blocked with type All`);
  const c = customer.row;
  const orderDate = typeof values.orderDate === 'string' ? values.orderDate : now.slice(0, 10);
  const row = insertRow(s, 'salesOrders', {
    orderDate,
    postingDate: orderDate,
    customerName: c.displayName,
    billToName: c.displayName,
    billToCustomerId: c.id,
    billToCustomerNumber: c.number,
    shipToName: c.displayName,
    sellToAddressLine1: c.addressLine1,
    sellToAddressLine2: c.addressLine2,
    sellToCity: c.city,
    sellToState: c.state,
    sellToCountry: c.country,
    sellToPostCode: c.postalCode,
    billToAddressLine1: c.addressLine1,
    billToAddressLine2: c.addressLine2,
    billToCity: c.city,
    billToState: c.state,
    billToCountry: c.country,
    billToPostCode: c.postalCode,
    shipToAddressLine1: c.addressLine1,
    shipToAddressLine2: c.addressLine2,
    shipToCity: c.city,
    shipToState: c.state,
    shipToCountry: c.country,
    shipToPostCode: c.postalCode,
    currencyCode: c.currencyCode,
    email: c.email,
    phoneNumber: c.phoneNumber,
    partialShipping: true,
    ...values,
    customerId: c.id,
    customerNumber: c.number,
    number: nextNumber(s, 'salesOrder'),
    status: 'Draft',
    lastModifiedDateTime: now,
  });
  try {
    for (const l of lines) createLine(r, row.id as string, l, now);
  } catch (e) {
    // Deep insert is one transaction: a bad line leaves no half-written order behind.
    s.tables.salesOrders.delete(row.id as string);
    for (const [id, l] of s.tables.salesOrderLines) if (l.row.documentId === row.id) s.tables.salesOrderLines.delete(id);
    s.series.salesOrder--;
    throw e;
  }
  recomputeOrder(s, row.id as string);
  return row;
}
