import { connection, type Obj } from './connection.ts';
import { numericId, type FakeShopifyContext } from './context.ts';
import { advanceBulkOperation } from './bulk.ts';
import { searchFilter, type SearchFields } from './search.ts';
import type { CompanyRec, CustomerRec, OrderRec, ProductRec, VariantRec, LocationRec, CompanyLocationRec } from './state.ts';
import type { Views } from './views.ts';

const idNum = (gid: string): number => Number(numericId(gid));

const orderSearch: SearchFields<OrderRec> = {
  fields: {
    id: { kind: 'number', get: (o) => idNum(o.id) },
    name: { kind: 'text', get: (o) => o.name },
    email: { kind: 'text', get: (o) => o.email },
    created_at: { kind: 'time', get: (o) => o.createdAt },
    updated_at: { kind: 'time', get: (o) => o.updatedAt },
    processed_at: { kind: 'time', get: (o) => o.processedAt },
    financial_status: { kind: 'text', get: (o) => o.financialStatus.toLowerCase() },
    fulfillment_status: { kind: 'text', get: (o) => o.fulfillmentStatus.toLowerCase() },
    po_number: { kind: 'text', get: (o) => o.poNumber },
    tag: { kind: 'text', get: (o) => o.tags },
    customer_id: { kind: 'number', get: (o) => (o.customerId ? idNum(o.customerId) : null) },
    company_id: { kind: 'number', get: (o) => (o.companyId ? idNum(o.companyId) : null) },
    status: { kind: 'text', get: (o) => (o.cancelledAt ? 'cancelled' : 'open') },
  },
  defaultText: (o) => [o.name, o.email ?? ''],
};

const customerSearch: SearchFields<CustomerRec> = {
  fields: {
    id: { kind: 'number', get: (c) => idNum(c.id) },
    email: { kind: 'text', get: (c) => c.email },
    phone: { kind: 'text', get: (c) => c.phone },
    first_name: { kind: 'text', get: (c) => c.firstName },
    last_name: { kind: 'text', get: (c) => c.lastName },
    tag: { kind: 'text', get: (c) => c.tags },
    created_at: { kind: 'time', get: (c) => c.createdAt },
    updated_at: { kind: 'time', get: (c) => c.updatedAt },
  },
  defaultText: (c) => [c.email ?? '', c.firstName ?? '', c.lastName ?? ''],
};

const companySearch: SearchFields<CompanyRec> = {
  fields: {
    id: { kind: 'number', get: (c) => idNum(c.id) },
    name: { kind: 'text', get: (c) => c.name },
    external_id: { kind: 'text', get: (c) => c.externalId },
    created_at: { kind: 'time', get: (c) => c.createdAt },
    updated_at: { kind: 'time', get: (c) => c.updatedAt },
  },
  defaultText: (c) => [c.name],
};

const companyLocationSearch: SearchFields<CompanyLocationRec> = {
  fields: {
    id: { kind: 'number', get: (c) => idNum(c.id) },
    name: { kind: 'text', get: (c) => c.name },
    external_id: { kind: 'text', get: (c) => c.externalId },
    company_id: { kind: 'number', get: (c) => idNum(c.companyId) },
  },
  defaultText: (c) => [c.name],
};

const productSearch: SearchFields<ProductRec> = {
  fields: {
    id: { kind: 'number', get: (p) => idNum(p.id) },
    title: { kind: 'text', get: (p) => p.title },
    vendor: { kind: 'text', get: (p) => p.vendor },
    status: { kind: 'text', get: (p) => p.status.toLowerCase() },
    updated_at: { kind: 'time', get: (p) => p.updatedAt },
  },
  defaultText: (p) => [p.title],
};

const variantSearch: SearchFields<VariantRec> = {
  fields: {
    id: { kind: 'number', get: (x) => idNum(x.id) },
    sku: { kind: 'text', get: (x) => x.sku },
    barcode: { kind: 'text', get: (x) => x.barcode },
    product_id: { kind: 'number', get: (x) => idNum(x.productId) },
    updated_at: { kind: 'time', get: (x) => x.updatedAt },
  },
  defaultText: (x) => [x.sku ?? '', x.title],
};

const locationSearch: SearchFields<LocationRec> = {
  fields: { name: { kind: 'text', get: (l) => l.name } },
  defaultText: (l) => [l.name],
};

type SortGetter<T> = (x: T) => string | number;

function sorted<T extends { id: string }>(items: readonly T[], sortKey: unknown, keys: Record<string, SortGetter<T>>): T[] {
  const get = (typeof sortKey === 'string' ? keys[sortKey] : undefined) ?? ((x: T) => idNum(x.id));
  return [...items].sort((a, b) => {
    const x = get(a);
    const y = get(b);
    if (x < y) return -1;
    if (x > y) return 1;
    return idNum(a.id) - idNum(b.id);
  });
}

const time = (iso: string): number => Date.parse(iso);

/** Root `QueryRoot` resolvers for the fields the fake supports. */
export function queryResolvers(ctx: FakeShopifyContext, v: Views): Record<string, (args: Obj) => unknown> {
  const s = ctx.state;
  const conn = <T extends { id: string }>(items: readonly T[], args: Obj, view: (x: T) => unknown): Obj =>
    connection(items, args, { id: (x) => x.id, view, bulk: ctx.bulk });
  const get = <T>(m: Map<string, T>, view: (x: T) => Obj) => (args: Obj): Obj | null => {
    const x = typeof args.id === 'string' ? m.get(args.id) : undefined;
    return x === undefined ? null : view(x);
  };
  return {
    shop: () => v.shop(),
    order: get(s.orders, v.order),
    orders: (args) =>
      conn(
        sorted(searchFilter([...s.orders.values()], args.query as string | undefined, orderSearch), args.sortKey, {
          CREATED_AT: (o) => time(o.createdAt),
          UPDATED_AT: (o) => time(o.updatedAt),
          PROCESSED_AT: (o) => time(o.processedAt),
          ORDER_NUMBER: (o) => o.name,
        }),
        args,
        v.order,
      ),
    customer: get(s.customers, v.customer),
    customers: (args) =>
      conn(
        sorted(searchFilter([...s.customers.values()], args.query as string | undefined, customerSearch), args.sortKey, {
          CREATED_AT: (c) => time(c.createdAt),
          UPDATED_AT: (c) => time(c.updatedAt),
          NAME: (c) => `${c.firstName ?? ''} ${c.lastName ?? ''}`,
        }),
        args,
        v.customer,
      ),
    product: get(s.products, v.product),
    products: (args) =>
      conn(
        sorted(searchFilter([...s.products.values()], args.query as string | undefined, productSearch), args.sortKey, {
          TITLE: (p) => p.title,
          UPDATED_AT: (p) => time(p.updatedAt),
        }),
        args,
        v.product,
      ),
    productVariant: get(s.variants, v.variant),
    productVariants: (args) =>
      conn(sorted(searchFilter([...s.variants.values()], args.query as string | undefined, variantSearch), args.sortKey, { SKU: (x) => x.sku ?? '' }), args, v.variant),
    inventoryItem: (args) => {
      const x = [...s.variants.values()].find((vr) => vr.inventoryItemId === args.id);
      return x ? v.inventoryItem(x) : null;
    },
    inventoryLevel: (args) => {
      const x = [...s.inventoryLevels.values()].find((l) => l.id === args.id);
      return x ? v.inventoryLevel(x) : null;
    },
    location: (args) => {
      const x = typeof args.id === 'string' ? s.locations.get(args.id) : [...s.locations.values()][0];
      return x ? v.location(x) : null;
    },
    locations: (args) => conn(sorted(searchFilter([...s.locations.values()], args.query as string | undefined, locationSearch), args.sortKey, { NAME: (l) => l.name }), args, v.location),
    company: get(s.companies, v.company),
    companies: (args) =>
      conn(
        sorted(searchFilter([...s.companies.values()], args.query as string | undefined, companySearch), args.sortKey, {
          NAME: (c) => c.name,
          CREATED_AT: (c) => time(c.createdAt),
          UPDATED_AT: (c) => time(c.updatedAt),
        }),
        args,
        v.company,
      ),
    companyLocation: get(s.companyLocations, v.companyLocation),
    companyLocations: (args) =>
      conn(sorted(searchFilter([...s.companyLocations.values()], args.query as string | undefined, companyLocationSearch), args.sortKey, { NAME: (l) => l.name }), args, v.companyLocation),
    companyContact: get(s.companyContacts, v.companyContact),
    priceList: get(s.priceLists, v.priceList),
    priceLists: (args) => conn([...s.priceLists.values()], args, v.priceList),
    fulfillmentOrder: get(s.fulfillmentOrders, v.fulfillmentOrder),
    currentBulkOperation: () => {
      const ops = [...s.bulkOperations.values()];
      const op = ops[ops.length - 1];
      if (!op) return null;
      advanceBulkOperation(ctx, op);
      return v.bulkOperation(op);
    },
    node: (args) => {
      const id = typeof args.id === 'string' ? args.id : '';
      const op = s.bulkOperations.get(id);
      if (op) advanceBulkOperation(ctx, op);
      return v.node(id);
    },
    nodes: (args) => (Array.isArray(args.ids) ? args.ids : []).map((id) => (typeof id === 'string' ? v.node(id) : null)),
  };
}
