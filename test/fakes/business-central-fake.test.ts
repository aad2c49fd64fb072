import { afterEach, describe, expect, it } from 'vitest';
import { startFakeBusinessCentral, type FakeBusinessCentral } from './business-central/index.ts';

type Json = Record<string, unknown>;

let fake: FakeBusinessCentral | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(opts: Parameters<typeof startFakeBusinessCentral>[0] = {}): Promise<FakeBusinessCentral> {
  fake = await startFakeBusinessCentral(opts);
  return fake;
}

async function token(f: FakeBusinessCentral, secret = f.clientSecret): Promise<{ status: number; body: Json }> {
  const res = await fetch(f.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: f.clientId, client_secret: secret, scope: 'https://api.businesscentral.dynamics.com/.default' }),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

async function api(f: FakeBusinessCentral, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: Json; headers: Headers }> {
  const t = (await token(f)).body.access_token as string;
  const res = await fetch(path.startsWith('http') ? path : `${f.companyUrl}/${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
}

const errorOf = (b: Json): { code: string; message: string } => b.error as { code: string; message: string };

describe('fake Business Central API v2.0', () => {
  it('issues client-credentials tokens and rejects a wrong secret with an AADSTS error', async () => {
    const f = await start();
    const ok = await token(f);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
    const bad = await token(f, 'nope');
    expect(bad.status).toBe(401);
    expect(bad.body.error).toBe('invalid_client');
    expect(bad.body.error_description).toMatch(/^AADSTS7000215:/);
  });

  it('answers 401 with an OData error body without a valid bearer token', async () => {
    const f = await start();
    const res = await fetch(`${f.companyUrl}/customers`, { headers: { authorization: 'Bearer forged' } });
    expect(res.status).toBe(401);
    expect(errorOf((await res.json()) as Json).code).toBe('Authentication_InvalidCredentials');
  });

  it.each([
    ["email eq 'PURCHASING@northwind-outfitters.example'", ['Northwind Outfitters LLC']],
    ["number eq 'C00020' or city eq 'Oakland'", ['Northwind Outfitters LLC', 'Adatum Corporation']],
    ["contains(displayName,'datum') and state eq 'GA'", ['Adatum Corporation']],
  ])('filters customers with $filter=%s', async (filter, names) => {
    const f = await start();
    const r = await api(f, `customers?$filter=${encodeURIComponent(filter)}`);
    expect((r.body.value as Json[]).map((c) => c.displayName).sort()).toEqual([...names].sort());
  });

  it('rejects a quoted DateTimeOffset and unknown properties in $filter the way OData does', async () => {
    const f = await start();
    const quoted = await api(f, `items?$filter=${encodeURIComponent("lastModifiedDateTime gt '2025-01-01T00:00:00Z'")}`);
    expect(quoted.status).toBe(400);
    expect(errorOf(quoted.body).message).toMatch(/incompatible types.*Edm.DateTimeOffset.*Edm.String/);
    const unknown = await api(f, `items?$filter=${encodeURIComponent("colour eq 'red'")}`);
    expect(errorOf(unknown.body).message).toMatch(/Could not find a property named 'colour'/);
  });

  it('delta-reads items by lastModifiedDateTime gt an unquoted timestamp', async () => {
    let clock = Date.parse('2025-01-15T10:00:00Z');
    const f = await start({ now: () => clock });
    clock += 60_000;
    f.update('items', f.cronus!.items['ASJ-NVY-M']!.id as string, { inventory: 35 });
    const r = await api(f, `items?$filter=${encodeURIComponent('lastModifiedDateTime gt 2025-01-15T10:00:00Z')}`);
    expect((r.body.value as Json[]).map((i) => [i.number, i.inventory])).toEqual([['ASJ-NVY-M', 35]]);
  });

  it('pages server-side with @odata.nextLink, keeping the query options', async () => {
    const f = await start({ pageSize: 2 });
    const numbers: string[] = [];
    let url: string | undefined = `items?$orderby=number&$filter=${encodeURIComponent('blocked eq false')}`;
    let pages = 0;
    while (url) {
      const r = await api(f, url);
      numbers.push(...(r.body.value as Json[]).map((i) => i.number as string));
      url = r.body['@odata.nextLink'] as string | undefined;
      pages++;
    }
    expect(numbers).toEqual(['ASJ-NVY-M', 'MCS3-CHR', 'TR2-SLT-10']);
    expect(pages).toBe(2);
  });

  it('honours Prefer: odata.maxpagesize below the server page size', async () => {
    const f = await start();
    const r = await api(f, 'items', { headers: { prefer: 'odata.maxpagesize=3' } });
    expect((r.body.value as Json[]).length).toBe(3);
    expect(r.headers.get('preference-applied')).toBe('odata.maxpagesize=3');
    expect(r.body['@odata.nextLink']).toEqual(expect.stringContaining('$skiptoken='));
  });

  it('creates a sales order with lines by deep insert and expands them', async () => {
    const f = await start();
    const created = await api(f, 'salesOrders?$expand=salesOrderLines', {
      method: 'POST',
      body: { externalDocumentNumber: '#W1042', customerNumber: 'C00010', orderDate: '2025-01-15', salesOrderLines: [{ lineObjectNumber: 'TR2-SLT-10', quantity: 24 }, { lineObjectNumber: 'MCS3-CHR', quantity: 6, unitPrice: 4.5 }] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ number: 'S-ORD101001', customerName: 'Northwind Outfitters LLC', totalAmountExcludingTax: 1047, status: 'Draft', orderDate: '2025-01-15' });
    expect((created.body.salesOrderLines as Json[]).map((l) => [l.lineObjectNumber, l.amountExcludingTax])).toEqual([['TR2-SLT-10', 1020], ['MCS3-CHR', 27]]);
    expect(created.headers.get('etag')).toBe(created.body['@odata.etag']);
  });

  it.each([
    ['an orderDate that is a DateTime (v2.0 wants a date)', { customerNumber: 'C00010', orderDate: '2025-01-15T00:00:00Z' }, 'BadRequest'],
    ['an unknown customer', { customerNumber: 'C99999' }, 'Internal_RecordNotFound'],
    ['an unknown item on a line', { customerNumber: 'C00010', salesOrderLines: [{ lineObjectNumber: 'NOPE', quantity: 1 }] }, 'Internal_RecordNotFound'],
    ['an unknown property', { customerNumber: 'C00010', poNumber: 'PO-1' }, 'BadRequest'],
  ])('rejects a sales order with %s, leaving nothing behind', async (_what, body, code) => {
    const f = await start();
    const r = await api(f, 'salesOrders', { method: 'POST', body });
    expect([r.status, errorOf(r.body).code]).toEqual([400, code]);
    expect(f.rows('salesOrders')).toEqual([]);
    expect(f.rows('salesOrderLines')).toEqual([]);
  });

  it('guards PATCH with If-Match: the current ETag wins, a stale one gets 412 Request_EntityChanged', async () => {
    const f = await start();
    const id = f.cronus!.customers.adatum.id as string;
    const current = await api(f, `customers(${id})`);
    const etag = current.body['@odata.etag'] as string;
    const ok = await api(f, `customers(${id})`, { method: 'PATCH', body: { phoneNumber: '+1 404-555-0100' }, headers: { 'if-match': etag } });
    expect([ok.status, ok.body.phoneNumber]).toEqual([200, '+1 404-555-0100']);
    expect(ok.body['@odata.etag']).not.toBe(etag);
    const stale = await api(f, `customers(${id})`, { method: 'PATCH', body: { phoneNumber: 'x' }, headers: { 'if-match': etag } });
    expect([stale.status, errorOf(stale.body).code]).toEqual([412, 'Request_EntityChanged']);
    const missing = await api(f, `customers(${id})`, { method: 'PATCH', body: { phoneNumber: 'x' } });
    expect(missing.status).toBe(400);
  });

  it('lists sales shipments with their lines after the order ships', async () => {
    const f = await start();
    const so = await api(f, 'salesOrders', { method: 'POST', body: { externalDocumentNumber: '#W1', customerNumber: 'C00010', salesOrderLines: [{ lineObjectNumber: 'TR2-SLT-10', quantity: 3 }] } });
    f.shipSalesOrder(so.body.number as string);
    const r = await api(f, `salesShipments?$expand=salesShipmentLines&$filter=${encodeURIComponent("orderNumber eq '" + String(so.body.number) + "'")}`);
    const [shipment] = r.body.value as Json[];
    expect(shipment).toMatchObject({ externalDocumentNumber: '#W1', customerNumber: 'C00010' });
    expect((shipment!.salesShipmentLines as Json[]).map((l) => [l.lineObjectNumber, l.quantity])).toEqual([['TR2-SLT-10', 3]]);
    expect((await api(f, `salesOrders(${String(so.body.id)})`)).body.fullyShipped).toBe(true);
  });

  it('answers 429 with Retry-After on demand, then serves normally', async () => {
    const f = await start();
    f.failNext({ status: 429, retryAfter: 3 });
    const limited = await api(f, 'items');
    expect([limited.status, limited.headers.get('retry-after'), errorOf(limited.body).code]).toEqual([429, '3', 'Application_TooManyRequests']);
    expect((await api(f, 'items')).status).toBe(200);
  });

  it('commits and then drops the connection (drop-after-commit)', async () => {
    const f = await start();
    f.failNext({ mode: 'drop-after-commit', method: 'POST' });
    await expect(api(f, 'customers', { method: 'POST', body: { displayName: 'Lost Reply Ltd' } })).rejects.toThrow();
    expect(f.rows('customers').map((c) => c.displayName)).toContain('Lost Reply Ltd');
  });

  it('simulates outages: 503, refused connections, then recovery', async () => {
    const f = await start();
    const t = (await token(f)).body.access_token as string;
    const get = () => fetch(`${f.companyUrl}/items`, { headers: { authorization: `Bearer ${t}` } });
    await f.setOutage('503');
    expect((await get()).status).toBe(503);
    await f.setOutage('refuse');
    await expect(get()).rejects.toThrow();
    await f.setOutage('none');
    expect((await get()).status).toBe(200);
  });
});
