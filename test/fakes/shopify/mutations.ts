import { flattenBulkResult } from './bulk.ts';
import type { Obj } from './connection.ts';
import { money, type FakeShopifyContext } from './context.ts';
import { levelKey, type CompanyAddressRec, type CompanyLocationRec, type CustomerRec, type FulfillmentOrderRec } from './state.ts';
import type { Views } from './views.ts';

interface UserError {
  field: string[] | null;
  message: string;
  code?: string;
}

const err = (field: Array<string | number> | null, message: string, code?: string): UserError => ({
  field: field === null ? null : field.map(String),
  message,
  ...(code ? { code } : {}),
});

const str = (o: Obj, k: string): string | null => (typeof o[k] === 'string' ? (o[k] as string) : null);
const obj = (o: Obj, k: string): Obj | null => (typeof o[k] === 'object' && o[k] !== null && !Array.isArray(o[k]) ? (o[k] as Obj) : null);
const arr = (o: Obj, k: string): Obj[] => (Array.isArray(o[k]) ? (o[k] as Obj[]) : []);

/** Reasons Shopify accepts for inventory quantity changes (https://shopify.dev/docs/apps/build/orders-fulfillment/inventory-management-apps#inventory-state-reasons). */
export const INVENTORY_REASONS = [
  'correction', 'cycle_count_available', 'damaged', 'movement_created', 'movement_updated', 'movement_received', 'movement_canceled',
  'other', 'promotion', 'quality_control', 'received', 'reservation_created', 'reservation_deleted', 'reservation_updated', 'restock',
  'safety_stock', 'shrinkage',
];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface BulkRunner {
  /** Validates and executes a bulk query in bulk mode; returns the JSON data or validation messages. */
  (query: string): { ok: true; data: Obj } | { ok: false; messages: string[] };
}

/** Root `Mutation` resolvers. Every mutation answers `userErrors` rather than GraphQL errors for bad input, as Shopify does. */
export function mutationResolvers(ctx: FakeShopifyContext, v: Views, runBulk: BulkRunner): Record<string, (args: Obj) => unknown> {
  const s = ctx.state;

  const customerFromInput = (input: Obj, into: CustomerRec): void => {
    for (const k of ['firstName', 'lastName', 'email', 'phone', 'note', 'locale'] as const) {
      if (k in input) (into as unknown as Obj)[k] = input[k] ?? null;
    }
    if (Array.isArray(input.tags)) into.tags = input.tags.map(String);
    if (typeof input.taxExempt === 'boolean') into.taxExempt = input.taxExempt;
    if (Array.isArray(input.addresses)) {
      into.addresses = arr(input, 'addresses').map((a) => ({
        firstName: str(a, 'firstName'), lastName: str(a, 'lastName'), company: str(a, 'company'), address1: str(a, 'address1'),
        address2: str(a, 'address2'), city: str(a, 'city'), provinceCode: str(a, 'provinceCode'), zip: str(a, 'zip'),
        countryCode: str(a, 'countryCode'), phone: str(a, 'phone'),
      }));
    }
  };

  const validateCustomer = (c: CustomerRec, path: string[]): UserError[] => {
    const errors: UserError[] = [];
    if (c.email !== null && !EMAIL.test(c.email)) errors.push(err([...path, 'email'], 'Email is invalid'));
    if (c.email !== null && [...s.customers.values()].some((x) => x.id !== c.id && x.email?.toLowerCase() === c.email?.toLowerCase())) {
      errors.push(err([...path, 'email'], 'Email has already been taken'));
    }
    if (!c.email && !c.phone && !c.firstName && !c.lastName) errors.push(err(null, 'A name, phone number, or email address must be present'));
    return errors;
  };

  const newCustomer = (): CustomerRec => {
    const now = ctx.nowIso();
    return { id: ctx.nextId('Customer'), firstName: null, lastName: null, email: null, phone: null, note: null, tags: [], locale: 'en', taxExempt: false, createdAt: now, updatedAt: now, addresses: [] };
  };

  const companyAddress = (a: Obj | null): CompanyAddressRec | null => {
    if (a === null) return null;
    const now = ctx.nowIso();
    return {
      id: ctx.nextId('CompanyAddress'),
      address1: str(a, 'address1') ?? '',
      address2: str(a, 'address2'),
      city: str(a, 'city'),
      zip: str(a, 'zip'),
      recipient: str(a, 'recipient'),
      firstName: str(a, 'firstName'),
      lastName: str(a, 'lastName'),
      phone: str(a, 'phone'),
      zoneCode: str(a, 'zoneCode'),
      countryCode: str(a, 'countryCode') ?? 'US',
      createdAt: now,
      updatedAt: now,
    };
  };

  const buildLocation = (companyId: string, input: Obj, path: string[]): { loc: CompanyLocationRec } | { errors: UserError[] } => {
    const name = str(input, 'name');
    if (!name) return { errors: [err([...path, 'name'], "Name can't be blank", 'BLANK')] };
    const externalId = str(input, 'externalId');
    if (externalId && [...s.companyLocations.values()].some((l) => l.externalId === externalId)) {
      return { errors: [err([...path, 'externalId'], 'External Id has already been taken', 'TAKEN')] };
    }
    const now = ctx.nowIso();
    const shipping = companyAddress(obj(input, 'shippingAddress'));
    const billing = input.billingSameAsShipping === true ? (shipping ? { ...shipping, id: ctx.nextId('CompanyAddress') } : null) : companyAddress(obj(input, 'billingAddress'));
    return {
      loc: {
        id: ctx.nextId('CompanyLocation'),
        companyId,
        name,
        phone: str(input, 'phone'),
        locale: str(input, 'locale'),
        externalId,
        note: str(input, 'note'),
        currency: s.shop.currencyCode,
        taxRegistrationId: str(input, 'taxRegistrationId'),
        taxExempt: input.taxExempt === true,
        billingAddress: billing,
        shippingAddress: shipping,
        createdAt: now,
        updatedAt: now,
      },
    };
  };

  const recomputeOrderFulfillment = (orderId: string): void => {
    const order = s.orders.get(orderId);
    if (!order) return;
    const fos = [...s.fulfillmentOrders.values()].filter((f) => f.orderId === orderId);
    const remaining = fos.reduce((n, f) => n + f.lineItems.reduce((m, l) => m + l.remainingQuantity, 0), 0);
    const total = fos.reduce((n, f) => n + f.lineItems.reduce((m, l) => m + l.totalQuantity, 0), 0);
    order.fulfillmentStatus = remaining === 0 ? 'FULFILLED' : remaining < total ? 'PARTIALLY_FULFILLED' : 'UNFULFILLED';
    order.updatedAt = ctx.nowIso();
  };

  return {
    customerCreate: ({ input }) => {
      const c = newCustomer();
      customerFromInput(input as Obj, c);
      const userErrors = validateCustomer(c, ['input']);
      if (userErrors.length) return { customer: null, userErrors };
      s.customers.set(c.id, c);
      return { customer: v.customer(c), userErrors: [] };
    },
    customerUpdate: ({ input }) => {
      const i = input as Obj;
      const existing = typeof i.id === 'string' ? s.customers.get(i.id) : undefined;
      if (!existing) return { customer: null, userErrors: [err(['id'], 'Customer does not exist')] };
      const next: CustomerRec = { ...existing, tags: [...existing.tags], addresses: [...existing.addresses] };
      customerFromInput(i, next);
      const userErrors = validateCustomer(next, ['input']);
      if (userErrors.length) return { customer: null, userErrors };
      next.updatedAt = ctx.nowIso();
      s.customers.set(next.id, next);
      return { customer: v.customer(next), userErrors: [] };
    },
    companyCreate: ({ input }) => {
      const i = input as Obj;
      const company = obj(i, 'company') ?? {};
      const name = str(company, 'name');
      if (!name) return { company: null, userErrors: [err(['input', 'company', 'name'], "Name can't be blank", 'BLANK')] };
      const externalId = str(company, 'externalId');
      if (externalId && [...s.companies.values()].some((c) => c.externalId === externalId)) {
        return { company: null, userErrors: [err(['input', 'company', 'externalId'], 'External Id has already been taken', 'TAKEN')] };
      }
      const now = ctx.nowIso();
      const id = ctx.nextId('Company');
      // A company always has a location; without input Shopify names it after the company.
      const locInput = obj(i, 'companyLocation') ?? { name };
      const built = buildLocation(id, { name, ...locInput }, ['input', 'companyLocation']);
      if ('errors' in built) return { company: null, userErrors: built.errors };
      const contactInput = obj(i, 'companyContact');
      let contactCustomer: CustomerRec | null = null;
      if (contactInput) {
        contactCustomer = newCustomer();
        customerFromInput(contactInput, contactCustomer);
        const userErrors = validateCustomer(contactCustomer, ['input', 'companyContact']).map((e) => (e.message === 'Email has already been taken' ? { ...e, message: 'Email address has already been taken', code: 'TAKEN' } : e));
        if (userErrors.length) return { company: null, userErrors };
      }
      s.companies.set(id, { id, name, note: str(company, 'note'), externalId, customerSince: str(company, 'customerSince') ?? now, createdAt: now, updatedAt: now, mainContactId: null });
      s.companyLocations.set(built.loc.id, built.loc);
      if (contactCustomer && contactInput) {
        s.customers.set(contactCustomer.id, contactCustomer);
        const contactId = ctx.nextId('CompanyContact');
        s.companyContacts.set(contactId, { id: contactId, companyId: id, customerId: contactCustomer.id, title: str(contactInput, 'title'), locale: str(contactInput, 'locale'), createdAt: now, updatedAt: now });
        s.companies.get(id)!.mainContactId = contactId;
      }
      return { company: v.company(s.companies.get(id)!), userErrors: [] };
    },
    companyUpdate: ({ companyId, input }) => {
      const c = typeof companyId === 'string' ? s.companies.get(companyId) : undefined;
      if (!c) return { company: null, userErrors: [err(['companyId'], 'Resource requested does not exist.', 'RESOURCE_NOT_FOUND')] };
      const i = input as Obj;
      if ('name' in i && !str(i, 'name')) return { company: null, userErrors: [err(['input', 'name'], "Name can't be blank", 'BLANK')] };
      const externalId = str(i, 'externalId');
      if (externalId && [...s.companies.values()].some((x) => x.id !== c.id && x.externalId === externalId)) {
        return { company: null, userErrors: [err(['input', 'externalId'], 'External Id has already been taken', 'TAKEN')] };
      }
      if (str(i, 'name')) c.name = str(i, 'name')!;
      if ('note' in i) c.note = str(i, 'note');
      if ('externalId' in i) c.externalId = externalId;
      if (str(i, 'customerSince')) c.customerSince = str(i, 'customerSince')!;
      c.updatedAt = ctx.nowIso();
      return { company: v.company(c), userErrors: [] };
    },
    companyAssignCustomerAsContact: ({ companyId, customerId }) => {
      const c = typeof companyId === 'string' ? s.companies.get(companyId) : undefined;
      const cu = typeof customerId === 'string' ? s.customers.get(customerId) : undefined;
      if (!c) return { companyContact: null, userErrors: [err(['companyId'], 'Resource requested does not exist.', 'RESOURCE_NOT_FOUND')] };
      if (!cu) return { companyContact: null, userErrors: [err(['customerId'], 'Resource requested does not exist.', 'RESOURCE_NOT_FOUND')] };
      const existing = [...s.companyContacts.values()].find((x) => x.companyId === c.id && x.customerId === cu.id);
      if (existing) return { companyContact: null, userErrors: [err(['customerId'], 'Customer is already associated with this company.', 'TAKEN')] };
      const now = ctx.nowIso();
      const id = ctx.nextId('CompanyContact');
      s.companyContacts.set(id, { id, companyId: c.id, customerId: cu.id, title: null, locale: null, createdAt: now, updatedAt: now });
      if (c.mainContactId === null) c.mainContactId = id;
      return { companyContact: v.companyContact(s.companyContacts.get(id)!), userErrors: [] };
    },
    companyLocationCreate: ({ companyId, input }) => {
      const c = typeof companyId === 'string' ? s.companies.get(companyId) : undefined;
      if (!c) return { companyLocation: null, userErrors: [err(['companyId'], 'Resource requested does not exist.', 'RESOURCE_NOT_FOUND')] };
      const built = buildLocation(c.id, input as Obj, ['input']);
      if ('errors' in built) return { companyLocation: null, userErrors: built.errors };
      s.companyLocations.set(built.loc.id, built.loc);
      c.updatedAt = ctx.nowIso();
      return { companyLocation: v.companyLocation(built.loc), userErrors: [] };
    },
    companyLocationUpdate: ({ companyLocationId, input }) => {
      const l = typeof companyLocationId === 'string' ? s.companyLocations.get(companyLocationId) : undefined;
      if (!l) return { companyLocation: null, userErrors: [err(['companyLocationId'], 'Resource requested does not exist.', 'RESOURCE_NOT_FOUND')] };
      const i = input as Obj;
      if ('name' in i && !str(i, 'name')) return { companyLocation: null, userErrors: [err(['input', 'name'], "Name can't be blank", 'BLANK')] };
      const externalId = str(i, 'externalId');
      if (externalId && [...s.companyLocations.values()].some((x) => x.id !== l.id && x.externalId === externalId)) {
        return { companyLocation: null, userErrors: [err(['input', 'externalId'], 'External Id has already been taken', 'TAKEN')] };
      }
      for (const k of ['name', 'phone', 'locale', 'externalId', 'note'] as const) if (k in i) (l as unknown as Obj)[k] = i[k] ?? null;
      l.updatedAt = ctx.nowIso();
      return { companyLocation: v.companyLocation(l), userErrors: [] };
    },
    inventorySetQuantities: ({ input }) => {
      const i = input as Obj;
      const name = str(i, 'name') ?? '';
      const reason = str(i, 'reason') ?? '';
      const quantities = arr(i, 'quantities');
      const userErrors: UserError[] = [];
      if (name !== 'available' && name !== 'on_hand') userErrors.push(err(['input', 'name'], 'The quantity name must be either \'available\' or \'on_hand\'.', 'INVALID_NAME'));
      if (!INVENTORY_REASONS.includes(reason)) userErrors.push(err(['input', 'reason'], 'The specified reason is invalid.', 'INVALID_REASON'));
      const seen = new Set<string>();
      quantities.forEach((q, n) => {
        const key = levelKey(String(q.inventoryItemId), String(q.locationId));
        const level = s.inventoryLevels.get(key);
        if (seen.has(key)) userErrors.push(err(['input', 'quantities', n], 'The combination of inventoryItemId and locationId must be unique.', 'NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR'));
        seen.add(key);
        if (![...s.variants.values()].some((x) => x.inventoryItemId === q.inventoryItemId)) {
          userErrors.push(err(['input', 'quantities', n, 'inventoryItemId'], 'The specified inventory item could not be found.', 'INVALID_INVENTORY_ITEM'));
          return;
        }
        if (!s.locations.has(String(q.locationId))) {
          userErrors.push(err(['input', 'quantities', n, 'locationId'], 'The specified location could not be found.', 'INVALID_LOCATION'));
          return;
        }
        if (!level) {
          userErrors.push(err(['input', 'quantities', n, 'locationId'], 'The specified inventory item is not stocked at the location.', 'ITEM_NOT_STOCKED_AT_LOCATION'));
          return;
        }
        if (typeof q.quantity === 'number' && q.quantity < 0 && name === 'on_hand') {
          userErrors.push(err(['input', 'quantities', n, 'quantity'], 'The quantity can\'t be negative.', 'INVALID_QUANTITY_NEGATIVE'));
        }
        if (i.ignoreCompareQuantity !== true) {
          if (typeof q.compareQuantity !== 'number') userErrors.push(err(['input', 'quantities', n, 'compareQuantity'], 'The compareQuantity argument must be given to each quantity or ignored using ignoreCompareQuantity.', 'COMPARE_QUANTITY_REQUIRED'));
          else if (q.compareQuantity !== (level.quantities[name] ?? 0)) {
            userErrors.push(err(['input', 'quantities', n, 'compareQuantity'], 'The specified compare quantity does not match the current quantity.', 'COMPARE_QUANTITY_STALE'));
          }
        }
      });
      if (userErrors.length) return { inventoryAdjustmentGroup: null, userErrors };
      const now = ctx.nowIso();
      const changes: Obj[] = [];
      for (const q of quantities) {
        const level = s.inventoryLevels.get(levelKey(String(q.inventoryItemId), String(q.locationId)))!;
        const delta = Number(q.quantity) - (level.quantities[name] ?? 0);
        if (delta === 0) continue;
        const variant = [...s.variants.values()].find((x) => x.inventoryItemId === q.inventoryItemId)!;
        const location = s.locations.get(level.locationId)!;
        const names = name === 'available' ? ['available', 'on_hand'] : ['on_hand', 'available'];
        for (const n of names) {
          level.quantities[n] = (level.quantities[n] ?? 0) + delta;
          changes.push({ name: n, delta, quantityAfterChange: level.quantities[n], ledgerDocumentUri: null, item: () => v.inventoryItem(variant), location: () => v.location(location) });
        }
        level.updatedAt = now;
      }
      // Setting quantities to what they already are changes nothing, and Shopify then returns no adjustment group.
      if (changes.length === 0) return { inventoryAdjustmentGroup: null, userErrors: [] };
      const groupId = ctx.nextId('InventoryAdjustmentGroup');
      return {
        inventoryAdjustmentGroup: {
          __typename: 'InventoryAdjustmentGroup',
          id: groupId,
          createdAt: now,
          reason,
          referenceDocumentUri: str(i, 'referenceDocumentUri'),
          changes: (args: Obj) => (Array.isArray(args.quantityNames) ? changes.filter((c) => (args.quantityNames as unknown[]).includes(c.name)) : changes),
        },
        userErrors: [],
      };
    },
    productVariantsBulkUpdate: ({ productId, variants, allowPartialUpdates }) => {
      const product = typeof productId === 'string' ? s.products.get(productId) : undefined;
      if (!product) return { product: null, productVariants: null, userErrors: [err(['productId'], 'Product does not exist', 'PRODUCT_DOES_NOT_EXIST')] };
      const inputs = Array.isArray(variants) ? (variants as Obj[]) : [];
      const userErrors: UserError[] = [];
      const ok: Array<{ input: Obj; id: string }> = [];
      inputs.forEach((vi, n) => {
        const id = str(vi, 'id');
        if (!id) return void userErrors.push(err(['variants', n, 'id'], 'Product variant is missing ID attribute', 'PRODUCT_VARIANT_ID_MISSING'));
        const existing = s.variants.get(id);
        if (!existing) return void userErrors.push(err(['variants', n, 'id'], 'Product variant does not exist', 'PRODUCT_VARIANT_DOES_NOT_EXIST'));
        if (existing.productId !== product.id) return void userErrors.push(err(['variants', n, 'id'], 'Product variant does not belong to this product', 'MUST_BE_FOR_THIS_PRODUCT'));
        for (const k of ['price', 'compareAtPrice'] as const) {
          if (vi[k] !== undefined && vi[k] !== null && !(Number(vi[k]) >= 0)) {
            return void userErrors.push(err(['variants', n, k], `${k === 'price' ? 'Price' : 'Compare at price'} must be greater than or equal to 0`, 'GREATER_THAN_OR_EQUAL_TO'));
          }
        }
        ok.push({ input: vi, id });
      });
      if (userErrors.length && allowPartialUpdates !== true) return { product: v.product(product), productVariants: null, userErrors };
      const now = ctx.nowIso();
      for (const { input: vi, id } of ok) {
        const x = s.variants.get(id)!;
        if (vi.price !== undefined && vi.price !== null) x.price = money(String(vi.price));
        if (vi.compareAtPrice !== undefined) x.compareAtPrice = vi.compareAtPrice === null ? null : money(String(vi.compareAtPrice));
        if (typeof vi.barcode === 'string') x.barcode = vi.barcode;
        if (typeof vi.taxable === 'boolean') x.taxable = vi.taxable;
        x.updatedAt = now;
      }
      product.updatedAt = now;
      return { product: v.product(product), productVariants: ok.map(({ id }) => v.variant(s.variants.get(id)!)), userErrors };
    },
    priceListFixedPricesAdd: ({ priceListId, prices }) => {
      const list = typeof priceListId === 'string' ? s.priceLists.get(priceListId) : undefined;
      if (!list) return { prices: null, userErrors: [err(['priceListId'], 'Price list does not exist.', 'PRICE_LIST_NOT_FOUND')] };
      const inputs = Array.isArray(prices) ? (prices as Obj[]) : [];
      const userErrors: UserError[] = [];
      inputs.forEach((p, n) => {
        if (!s.variants.has(String(p.variantId))) userErrors.push(err(['prices', n, 'variantId'], 'Variant not found.', 'VARIANT_NOT_FOUND'));
        const price = obj(p, 'price');
        if (price && price.currencyCode !== list.currency) {
          userErrors.push(err(['prices', n, 'price', 'currencyCode'], 'The currency specified does not match the price list\'s currency.', 'PRICE_LIST_CURRENCY_MISMATCH'));
        }
        const cap = obj(p, 'compareAtPrice');
        if (cap && cap.currencyCode !== list.currency) {
          userErrors.push(err(['prices', n, 'compareAtPrice', 'currencyCode'], 'The currency specified does not match the price list\'s currency.', 'PRICE_LIST_CURRENCY_MISMATCH'));
        }
      });
      if (userErrors.length) return { prices: null, userErrors };
      const added: Obj[] = [];
      for (const p of inputs) {
        const variantId = String(p.variantId);
        const price = money(String(obj(p, 'price')!.amount));
        const cap = obj(p, 'compareAtPrice');
        const compareAtPrice = cap ? money(String(cap.amount)) : null;
        list.prices.set(variantId, { price, compareAtPrice });
        added.push({
          originType: 'FIXED',
          price: { amount: price, currencyCode: list.currency },
          compareAtPrice: compareAtPrice === null ? null : { amount: compareAtPrice, currencyCode: list.currency },
          variant: () => v.variant(s.variants.get(variantId)!),
        });
      }
      return { prices: added, userErrors: [] };
    },
    fulfillmentCreate: ({ fulfillment }) => {
      const f = fulfillment as Obj;
      const groups = arr(f, 'lineItemsByFulfillmentOrder');
      const userErrors: UserError[] = [];
      const fos: FulfillmentOrderRec[] = [];
      for (const g of groups) {
        const fo = s.fulfillmentOrders.get(String(g.fulfillmentOrderId));
        if (!fo) {
          userErrors.push(err(['fulfillment'], `Fulfillment order ${String(g.fulfillmentOrderId)} does not exist.`));
          continue;
        }
        if (fo.status !== 'OPEN' && fo.status !== 'IN_PROGRESS') userErrors.push(err(['fulfillment'], `Fulfillment order ${fo.id} has an unfulfillable status= ${fo.status.toLowerCase()}.`));
        fos.push(fo);
        for (const li of arr(g, 'fulfillmentOrderLineItems')) {
          const line = fo.lineItems.find((l) => l.id === li.id);
          if (!line) userErrors.push(err(['fulfillment'], `Fulfillment order line item ${String(li.id)} does not exist.`));
          else if (Number(li.quantity) > line.remainingQuantity || Number(li.quantity) <= 0) userErrors.push(err(['fulfillment'], 'Invalid fulfillment order line item quantity requested.'));
        }
      }
      if (groups.length === 0) userErrors.push(err(['fulfillment'], 'Line items by fulfillment order must be present.'));
      if (new Set(fos.map((x) => x.orderId)).size > 1) userErrors.push(err(['fulfillment'], 'All fulfillment orders must belong to the same order.'));
      if (userErrors.length) return { fulfillment: null, userErrors };
      const now = ctx.nowIso();
      const lines: Array<{ lineItemId: string; quantity: number }> = [];
      for (const g of groups) {
        const fo = s.fulfillmentOrders.get(String(g.fulfillmentOrderId))!;
        const requested = arr(g, 'fulfillmentOrderLineItems');
        const picks = requested.length ? requested.map((r) => ({ line: fo.lineItems.find((l) => l.id === r.id)!, qty: Number(r.quantity) })) : fo.lineItems.map((l) => ({ line: l, qty: l.remainingQuantity }));
        for (const { line, qty } of picks) {
          if (qty <= 0) continue;
          line.remainingQuantity -= qty;
          lines.push({ lineItemId: line.lineItemId, quantity: qty });
          // Fulfilling takes the units out of the building: committed and on_hand both go down.
          const variantId = s.orders.get(fo.orderId)?.lineItems.find((l) => l.id === line.lineItemId)?.variantId;
          const variant = variantId ? s.variants.get(variantId) : undefined;
          const level = variant ? s.inventoryLevels.get(levelKey(variant.inventoryItemId, fo.locationId)) : undefined;
          if (level) {
            level.quantities.committed = (level.quantities.committed ?? 0) - qty;
            level.quantities.on_hand = (level.quantities.on_hand ?? 0) - qty;
            level.updatedAt = now;
          }
        }
        fo.status = fo.lineItems.every((l) => l.remainingQuantity === 0) ? 'CLOSED' : 'IN_PROGRESS';
        fo.updatedAt = now;
      }
      const orderId = fos[0]!.orderId;
      const order = s.orders.get(orderId)!;
      const tracking = obj(f, 'trackingInfo');
      const numbers = tracking ? (Array.isArray(tracking.numbers) ? tracking.numbers.map(String) : str(tracking, 'number') ? [str(tracking, 'number')!] : []) : [];
      const urls = tracking ? (Array.isArray(tracking.urls) ? tracking.urls.map(String) : str(tracking, 'url') ? [str(tracking, 'url')!] : []) : [];
      const company = tracking ? str(tracking, 'company') : null;
      const trackingInfo = numbers.length ? numbers.map((number, n) => ({ number, url: urls[n] ?? null, company })) : company || urls.length ? [{ number: null, url: urls[0] ?? null, company }] : [];
      const count = [...s.fulfillments.values()].filter((x) => x.orderId === orderId).length;
      const id = ctx.nextId('Fulfillment');
      s.fulfillments.set(id, { id, orderId, name: `${order.name}.${count + 1}`, status: 'SUCCESS', locationId: fos[0]!.locationId, trackingInfo, lines, fulfillmentOrderIds: fos.map((x) => x.id), createdAt: now, updatedAt: now });
      recomputeOrderFulfillment(orderId);
      return { fulfillment: v.fulfillment(s.fulfillments.get(id)!), userErrors: [] };
    },
    bulkOperationRunQuery: ({ query }) => {
      const running = [...s.bulkOperations.values()].find((b) => b.status === 'CREATED' || b.status === 'RUNNING');
      if (running) return { bulkOperation: null, userErrors: [err(null, `A bulk query operation for this app and shop is already in progress: ${running.id}.`, 'OPERATION_IN_PROGRESS')] };
      const result = runBulk(String(query));
      if (!result.ok) return { bulkOperation: null, userErrors: result.messages.map((m) => err(['query'], m, 'INVALID')) };
      const flat = flattenBulkResult(result.data);
      const failure = ctx.bulkFailure;
      ctx.bulkFailure = null;
      const id = ctx.nextId('BulkOperation');
      s.bulkOperations.set(id, {
        id,
        query: String(query),
        status: 'CREATED',
        createdAt: ctx.nowIso(),
        completedAt: null,
        lines: flat.lines,
        rootObjectCount: flat.rootObjectCount,
        pollsLeft: ctx.bulkPollsToComplete,
        errorCode: failure?.errorCode ?? null,
      });
      return { bulkOperation: v.bulkOperation(s.bulkOperations.get(id)!), userErrors: [] };
    },
  };
}
