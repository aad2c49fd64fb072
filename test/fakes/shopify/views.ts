import { connection, firstOf, type Obj } from './connection.ts';
import { money, numericId, type FakeShopifyContext } from './context.ts';
import { levelKey, type AddressRec, type CompanyAddressRec, type CompanyContactRec, type CompanyLocationRec, type CompanyRec, type CustomerRec, type FulfillmentOrderRec, type FulfillmentRec, type InventoryLevelRec, type LocationRec, type OrderLineRec, type OrderRec, type PriceListRec, type ProductRec, type VariantRec, type BulkOperationRec } from './state.ts';

/**
 * Records → objects shaped like the Admin API types. graphql-js's default resolver reads properties and calls
 * functions with `(args)`, so relations and connections are functions evaluated only when a query selects them.
 * Only the fields below are supported; selecting another non-null field yields graphql-js's null error.
 */
export interface Views {
  order(o: OrderRec): Obj;
  lineItem(o: OrderRec, l: OrderLineRec): Obj;
  customer(c: CustomerRec): Obj;
  product(p: ProductRec): Obj;
  variant(v: VariantRec): Obj;
  inventoryItem(v: VariantRec): Obj;
  inventoryLevel(l: InventoryLevelRec): Obj;
  location(l: LocationRec): Obj;
  company(c: CompanyRec): Obj;
  companyContact(c: CompanyContactRec): Obj;
  companyLocation(l: CompanyLocationRec): Obj;
  priceList(p: PriceListRec): Obj;
  fulfillmentOrder(f: FulfillmentOrderRec): Obj;
  fulfillment(f: FulfillmentRec): Obj;
  bulkOperation(b: BulkOperationRec): Obj;
  shop(): Obj;
  /** Any supported GID → its view, or null. */
  node(id: string): Obj | null;
}

const byId = <T extends { id: string }>(x: T): string => x.id;

export function createViews(ctx: FakeShopifyContext): Views {
  const s = ctx.state;
  const conn = <T extends { id: string }>(items: readonly T[], args: Obj, view: (t: T) => unknown): Obj =>
    connection(items, args, { id: byId, view, bulk: ctx.bulk });
  const bag = (amount: string, currencyCode: string): Obj => {
    const m = { amount: money(amount), currencyCode };
    return { shopMoney: m, presentmentMoney: m };
  };
  const mailing = (a: AddressRec | null, n: string): Obj | null =>
    a === null
      ? null
      : {
          __typename: 'MailingAddress',
          id: `gid://shopify/MailingAddress/${n}?model_name=Address`,
          firstName: a.firstName ?? null,
          lastName: a.lastName ?? null,
          name: [a.firstName, a.lastName].filter(Boolean).join(' ') || null,
          company: a.company ?? null,
          address1: a.address1 ?? null,
          address2: a.address2 ?? null,
          city: a.city ?? null,
          province: a.province ?? null,
          provinceCode: a.provinceCode ?? null,
          zip: a.zip ?? null,
          country: a.country ?? null,
          countryCodeV2: a.countryCode ?? null,
          phone: a.phone ?? null,
          coordinatesValidated: false,
          formatted: () => [a.address1, a.address2, [a.city, a.provinceCode, a.zip].filter(Boolean).join(' '), a.country].filter((x): x is string => Boolean(x)),
        };
  const companyAddress = (a: CompanyAddressRec | null, companyName: string): Obj | null =>
    a === null
      ? null
      : {
          __typename: 'CompanyAddress',
          ...a,
          province: a.zoneCode,
          country: a.countryCode,
          companyName,
          formattedArea: [a.city, a.zoneCode, a.countryCode].filter(Boolean).join(', '),
          formattedAddress: () => [a.address1, a.address2, [a.city, a.zoneCode, a.zip].filter(Boolean).join(' '), a.countryCode].filter((x): x is string => Boolean(x)),
        };
  const ordersOf = (pred: (o: OrderRec) => boolean): OrderRec[] => [...s.orders.values()].filter(pred);
  const foLineRemaining = (lineItemId: string): number => {
    let n = 0;
    for (const fo of s.fulfillmentOrders.values()) for (const l of fo.lineItems) if (l.lineItemId === lineItemId) n += l.remainingQuantity;
    return n;
  };
  const findOrderLine = (lineItemId: string): { order: OrderRec; line: OrderLineRec } | null => {
    for (const order of s.orders.values()) {
      const line = order.lineItems.find((l) => l.id === lineItemId);
      if (line) return { order, line };
    }
    return null;
  };
  const levelsOfItem = (itemId: string): InventoryLevelRec[] => [...s.inventoryLevels.values()].filter((l) => l.inventoryItemId === itemId);
  const variantByItem = (itemId: string): VariantRec | undefined => [...s.variants.values()].find((v) => v.inventoryItemId === itemId);

  const v: Views = {
    order: (o) => ({
      __typename: 'Order',
      ...o,
      legacyResourceId: numericId(o.id),
      presentmentCurrencyCode: o.currencyCode,
      closed: false,
      confirmed: true,
      test: false,
      displayFinancialStatus: o.financialStatus,
      displayFulfillmentStatus: o.fulfillmentStatus,
      subtotalPriceSet: bag(o.subtotalPrice, o.currencyCode),
      currentSubtotalPriceSet: bag(o.subtotalPrice, o.currencyCode),
      totalTaxSet: bag(o.totalTax, o.currencyCode),
      currentTotalTaxSet: bag(o.totalTax, o.currencyCode),
      totalShippingPriceSet: bag(o.totalShipping, o.currencyCode),
      totalPriceSet: bag(o.totalPrice, o.currencyCode),
      currentTotalPriceSet: bag(o.totalPrice, o.currencyCode),
      requiresShipping: true,
      fulfillable: o.lineItems.some((l) => foLineRemaining(l.id) > 0),
      shippingAddress: mailing(o.shippingAddress, `${numericId(o.id)}1`),
      billingAddress: mailing(o.billingAddress, `${numericId(o.id)}2`),
      customer: () => {
        const c = o.customerId ? s.customers.get(o.customerId) : undefined;
        return c ? v.customer(c) : null;
      },
      purchasingEntity: () => {
        const company = o.companyId ? s.companies.get(o.companyId) : undefined;
        const location = o.companyLocationId ? s.companyLocations.get(o.companyLocationId) : undefined;
        if (company && location) {
          const contact = [...s.companyContacts.values()].find((c) => c.companyId === company.id && c.customerId === o.customerId);
          return { __typename: 'PurchasingCompany', company: v.company(company), location: v.companyLocation(location), contact: contact ? v.companyContact(contact) : null };
        }
        const c = o.customerId ? s.customers.get(o.customerId) : undefined;
        return c ? v.customer(c) : null;
      },
      lineItems: (args: Obj) => conn(o.lineItems, args, (l) => v.lineItem(o, l)),
      fulfillmentOrders: (args: Obj) => conn([...s.fulfillmentOrders.values()].filter((f) => f.orderId === o.id), args, v.fulfillmentOrder),
      fulfillments: (args: Obj) => firstOf([...s.fulfillments.values()].filter((f) => f.orderId === o.id), args).map(v.fulfillment),
    }),
    lineItem: (o, l) => ({
      __typename: 'LineItem',
      id: l.id,
      title: l.title,
      variantTitle: l.variantTitle,
      name: l.variantTitle ? `${l.title} - ${l.variantTitle}` : l.title,
      sku: l.sku,
      vendor: l.vendor,
      quantity: l.quantity,
      currentQuantity: l.quantity,
      unfulfilledQuantity: foLineRemaining(l.id),
      originalUnitPriceSet: bag(l.unitPrice, o.currencyCode),
      discountedUnitPriceSet: bag(l.unitPrice, o.currencyCode),
      originalTotalSet: bag(String(Number(l.unitPrice) * l.quantity), o.currencyCode),
      requiresShipping: true,
      taxable: true,
      isGiftCard: false,
      customAttributes: [],
      variant: () => {
        const x = l.variantId ? s.variants.get(l.variantId) : undefined;
        return x ? v.variant(x) : null;
      },
      product: () => {
        const x = l.productId ? s.products.get(l.productId) : undefined;
        return x ? v.product(x) : null;
      },
    }),
    customer: (c) => ({
      __typename: 'Customer',
      ...c,
      legacyResourceId: numericId(c.id),
      displayName: [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || '',
      defaultEmailAddress: c.email
        ? { emailAddress: c.email, marketingState: 'NOT_SUBSCRIBED', openTrackingLevel: 'UNKNOWN', marketingUnsubscribeUrl: `${ctx.baseUrl}/unsubscribe`, openTrackingUrl: `${ctx.baseUrl}/track` }
        : null,
      defaultPhoneNumber: c.phone ? { phoneNumber: c.phone, marketingState: 'NOT_SUBSCRIBED' } : null,
      state: 'ENABLED',
      verifiedEmail: true,
      canDelete: true,
      dataSaleOptOut: false,
      taxExemptions: [],
      numberOfOrders: String(ordersOf((o) => o.customerId === c.id).length),
      amountSpent: { amount: money(ordersOf((o) => o.customerId === c.id).reduce((n, o) => n + Number(o.totalPrice), 0)), currencyCode: s.shop.currencyCode },
      defaultAddress: mailing(c.addresses[0] ?? null, `${numericId(c.id)}0`),
      addresses: (args: Obj) => firstOf(c.addresses, args).map((a, i) => mailing(a, `${numericId(c.id)}${i}`)),
      orders: (args: Obj) => conn(ordersOf((o) => o.customerId === c.id), args, v.order),
      companyContactProfiles: [...s.companyContacts.values()].filter((x) => x.customerId === c.id).map((x) => v.companyContact(x)),
    }),
    product: (p) => ({
      __typename: 'Product',
      ...p,
      legacyResourceId: numericId(p.id),
      isGiftCard: false,
      tracksInventory: true,
      totalInventory: [...s.variants.values()]
        .filter((x) => x.productId === p.id)
        .reduce((n, x) => n + levelsOfItem(x.inventoryItemId).reduce((m, l) => m + (l.quantities.available ?? 0), 0), 0),
      variants: (args: Obj) => conn([...s.variants.values()].filter((x) => x.productId === p.id).sort((a, b) => a.position - b.position), args, v.variant),
    }),
    variant: (x) => ({
      __typename: 'ProductVariant',
      ...x,
      legacyResourceId: numericId(x.id),
      displayName: `${s.products.get(x.productId)?.title ?? ''} - ${x.title}`,
      availableForSale: true,
      inventoryPolicy: 'DENY',
      inventoryQuantity: levelsOfItem(x.inventoryItemId).reduce((n, l) => n + (l.quantities.available ?? 0), 0),
      selectedOptions: [],
      product: () => {
        const p = s.products.get(x.productId);
        return p ? v.product(p) : null;
      },
      inventoryItem: () => v.inventoryItem(x),
    }),
    inventoryItem: (x) => ({
      __typename: 'InventoryItem',
      id: x.inventoryItemId,
      legacyResourceId: numericId(x.inventoryItemId),
      sku: x.sku,
      tracked: true,
      requiresShipping: true,
      duplicateSkuCount: 0,
      createdAt: x.createdAt,
      updatedAt: x.updatedAt,
      variant: () => v.variant(x),
      inventoryLevel: (args: Obj) => {
        const l = typeof args.locationId === 'string' ? s.inventoryLevels.get(levelKey(x.inventoryItemId, args.locationId)) : undefined;
        return l ? v.inventoryLevel(l) : null;
      },
      inventoryLevels: (args: Obj) => conn(levelsOfItem(x.inventoryItemId), args, v.inventoryLevel),
    }),
    inventoryLevel: (l) => ({
      __typename: 'InventoryLevel',
      id: l.id,
      createdAt: l.updatedAt,
      updatedAt: l.updatedAt,
      canDeactivate: true,
      item: () => {
        const x = variantByItem(l.inventoryItemId);
        return x ? v.inventoryItem(x) : null;
      },
      location: () => {
        const loc = s.locations.get(l.locationId);
        return loc ? v.location(loc) : null;
      },
      quantities: (args: Obj) =>
        (Array.isArray(args.names) ? args.names : []).map((name) => ({
          __typename: 'InventoryQuantity',
          id: `gid://shopify/InventoryQuantity/${numericId(l.id)}?inventory_item_id=${numericId(l.inventoryItemId)}&name=${String(name)}`,
          name: String(name),
          quantity: l.quantities[String(name)] ?? 0,
          updatedAt: l.updatedAt,
        })),
    }),
    location: (l) => ({
      __typename: 'Location',
      id: l.id,
      legacyResourceId: numericId(l.id),
      name: l.name,
      isActive: l.isActive,
      activatable: false,
      deactivatable: true,
      deletable: false,
      addressVerified: true,
      fulfillsOnlineOrders: true,
      hasActiveInventory: true,
      hasUnfulfilledOrders: false,
      isFulfillmentService: false,
      shipsInventory: true,
      address: {
        address1: l.address.address1 ?? null,
        address2: l.address.address2 ?? null,
        city: l.address.city ?? null,
        province: l.address.province ?? null,
        provinceCode: l.address.provinceCode ?? null,
        zip: l.address.zip ?? null,
        country: l.address.country ?? null,
        countryCode: l.address.countryCode ?? null,
        phone: l.address.phone ?? null,
        formatted: [l.address.address1, l.address.city].filter(Boolean),
      },
      inventoryLevel: (args: Obj) => {
        const x = typeof args.inventoryItemId === 'string' ? s.inventoryLevels.get(levelKey(args.inventoryItemId, l.id)) : undefined;
        return x ? v.inventoryLevel(x) : null;
      },
      inventoryLevels: (args: Obj) => conn([...s.inventoryLevels.values()].filter((x) => x.locationId === l.id), args, v.inventoryLevel),
    }),
    company: (c) => ({
      __typename: 'Company',
      ...c,
      lifetimeDuration: 'less than a year',
      defaultCursor: Buffer.from(c.id).toString('base64'),
      hasTimelineComment: false,
      totalSpent: { amount: money(ordersOf((o) => o.companyId === c.id).reduce((n, o) => n + Number(o.totalPrice), 0)), currencyCode: s.shop.currencyCode },
      mainContact: () => {
        const x = c.mainContactId ? s.companyContacts.get(c.mainContactId) : undefined;
        return x ? v.companyContact(x) : null;
      },
      contacts: (args: Obj) => conn([...s.companyContacts.values()].filter((x) => x.companyId === c.id), args, v.companyContact),
      contactsCount: { count: [...s.companyContacts.values()].filter((x) => x.companyId === c.id).length, precision: 'EXACT' },
      locations: (args: Obj) => conn([...s.companyLocations.values()].filter((x) => x.companyId === c.id), args, v.companyLocation),
      locationsCount: { count: [...s.companyLocations.values()].filter((x) => x.companyId === c.id).length, precision: 'EXACT' },
      orders: (args: Obj) => conn(ordersOf((o) => o.companyId === c.id), args, v.order),
    }),
    companyContact: (x) => ({
      __typename: 'CompanyContact',
      ...x,
      lifetimeDuration: 'less than a year',
      isMainContact: s.companies.get(x.companyId)?.mainContactId === x.id,
      company: () => {
        const c = s.companies.get(x.companyId);
        return c ? v.company(c) : null;
      },
      customer: () => {
        const c = s.customers.get(x.customerId);
        return c ? v.customer(c) : null;
      },
    }),
    companyLocation: (l) => {
      const companyName = s.companies.get(l.companyId)?.name ?? '';
      return {
        __typename: 'CompanyLocation',
        ...l,
        defaultCursor: Buffer.from(l.id).toString('base64'),
        hasTimelineComment: false,
        billingAddress: companyAddress(l.billingAddress, companyName),
        shippingAddress: companyAddress(l.shippingAddress, companyName),
        taxSettings: { taxRegistrationId: l.taxRegistrationId, taxExempt: l.taxExempt, taxExemptions: [] },
        totalSpent: { amount: money(ordersOf((o) => o.companyLocationId === l.id).reduce((n, o) => n + Number(o.totalPrice), 0)), currencyCode: l.currency },
        company: () => {
          const c = s.companies.get(l.companyId);
          return c ? v.company(c) : null;
        },
        orders: (args: Obj) => conn(ordersOf((o) => o.companyLocationId === l.id), args, v.order),
      };
    },
    priceList: (p) => ({
      __typename: 'PriceList',
      id: p.id,
      name: p.name,
      currency: p.currency,
      fixedPricesCount: p.prices.size,
      prices: (args: Obj) =>
        conn(
          [...p.prices.entries()].map(([variantId, price]) => ({ id: variantId, ...price })),
          args,
          (x) => ({
            originType: 'FIXED',
            price: { amount: x.price, currencyCode: p.currency },
            compareAtPrice: x.compareAtPrice === null ? null : { amount: x.compareAtPrice, currencyCode: p.currency },
            variant: () => {
              const vr = s.variants.get(x.id);
              return vr ? v.variant(vr) : null;
            },
          }),
        ),
    }),
    fulfillmentOrder: (f) => {
      const order = s.orders.get(f.orderId);
      const loc = s.locations.get(f.locationId);
      return {
        __typename: 'FulfillmentOrder',
        id: f.id,
        status: f.status,
        requestStatus: 'UNSUBMITTED',
        createdAt: f.createdAt,
        updatedAt: f.updatedAt,
        orderId: f.orderId,
        orderName: order?.name ?? '',
        orderProcessedAt: order?.processedAt ?? f.createdAt,
        fulfillmentHolds: [],
        supportedActions: f.status === 'OPEN' || f.status === 'IN_PROGRESS' ? [{ action: 'CREATE_FULFILLMENT', externalUrl: null }] : [],
        assignedLocation: {
          name: loc?.name ?? '',
          address1: loc?.address.address1 ?? null,
          city: loc?.address.city ?? null,
          zip: loc?.address.zip ?? null,
          province: loc?.address.provinceCode ?? null,
          countryCode: loc?.address.countryCode ?? 'US',
          phone: null,
          location: () => (loc ? v.location(loc) : null),
        },
        order: () => (order ? v.order(order) : null),
        lineItems: (args: Obj) =>
          conn(f.lineItems, args, (l) => {
            const found = findOrderLine(l.lineItemId);
            const variant = found?.line.variantId ? s.variants.get(found.line.variantId) : undefined;
            return {
              __typename: 'FulfillmentOrderLineItem',
              id: l.id,
              totalQuantity: l.totalQuantity,
              remainingQuantity: l.remainingQuantity,
              sku: found?.line.sku ?? null,
              productTitle: found?.line.title ?? '',
              variantTitle: found?.line.variantTitle ?? null,
              vendor: found?.line.vendor ?? null,
              requiresShipping: true,
              inventoryItemId: variant?.inventoryItemId ?? null,
              warnings: [],
              financialSummaries: [],
              lineItem: () => (found ? v.lineItem(found.order, found.line) : null),
              variant: () => (variant ? v.variant(variant) : null),
            };
          }),
        fulfillments: (args: Obj) => conn([...s.fulfillments.values()].filter((x) => x.fulfillmentOrderIds.includes(f.id)), args, v.fulfillment),
      };
    },
    fulfillment: (f) => {
      const order = s.orders.get(f.orderId);
      const loc = s.locations.get(f.locationId);
      return {
        __typename: 'Fulfillment',
        id: f.id,
        legacyResourceId: numericId(f.id),
        name: f.name,
        status: f.status,
        displayStatus: 'FULFILLED',
        createdAt: f.createdAt,
        updatedAt: f.updatedAt,
        requiresShipping: true,
        totalQuantity: f.lines.reduce((n, l) => n + l.quantity, 0),
        trackingInfo: (args: Obj) => firstOf(f.trackingInfo, args),
        order: () => (order ? v.order(order) : null),
        location: () => (loc ? v.location(loc) : null),
        fulfillmentLineItems: (args: Obj) =>
          conn(
            f.lines.map((l, i) => ({ id: `gid://shopify/FulfillmentLineItem/${numericId(f.id)}${i}`, ...l })),
            args,
            (l) => {
              const found = findOrderLine(l.lineItemId);
              const total = found ? bag(String(Number(found.line.unitPrice) * l.quantity), found.order.currencyCode) : null;
              return {
                id: l.id,
                quantity: l.quantity,
                originalTotalSet: total,
                discountedTotalSet: total,
                lineItem: () => (found ? v.lineItem(found.order, found.line) : null),
              };
            },
          ),
        fulfillmentOrders: (args: Obj) => conn(f.fulfillmentOrderIds.map((id) => s.fulfillmentOrders.get(id)).filter((x): x is FulfillmentOrderRec => x !== undefined), args, v.fulfillmentOrder),
      };
    },
    bulkOperation: (b) => ({
      __typename: 'BulkOperation',
      id: b.id,
      query: b.query,
      type: 'QUERY',
      status: b.status,
      errorCode: b.errorCode,
      createdAt: b.createdAt,
      completedAt: b.completedAt,
      objectCount: b.status === 'COMPLETED' ? String(b.lines.length) : '0',
      rootObjectCount: b.status === 'COMPLETED' ? String(b.rootObjectCount) : '0',
      fileSize: b.status === 'COMPLETED' ? String(b.lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0)) : null,
      url: b.status === 'COMPLETED' && b.lines.length > 0 ? `${ctx.baseUrl}/bulk/${numericId(b.id)}.jsonl` : null,
      partialDataUrl: null,
    }),
    shop: () => ({
      __typename: 'Shop',
      id: 'gid://shopify/Shop/1',
      name: s.shop.name,
      myshopifyDomain: s.shop.domain,
      currencyCode: s.shop.currencyCode,
      email: `ops@${s.shop.domain}`,
      contactEmail: `ops@${s.shop.domain}`,
      ianaTimezone: 'America/Los_Angeles',
      url: `https://${s.shop.domain}`,
      taxesIncluded: false,
      taxShipping: false,
    }),
    node: (id) => {
      const typ = /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(id)?.[1];
      const pick = <T>(m: Map<string, T>, f: (x: T) => Obj): Obj | null => {
        const x = m.get(id);
        return x === undefined ? null : f(x);
      };
      switch (typ) {
        case 'Order':
          return pick(s.orders, v.order);
        case 'Customer':
          return pick(s.customers, v.customer);
        case 'Product':
          return pick(s.products, v.product);
        case 'ProductVariant':
          return pick(s.variants, v.variant);
        case 'InventoryItem': {
          const x = variantByItem(id);
          return x ? v.inventoryItem(x) : null;
        }
        case 'Location':
          return pick(s.locations, v.location);
        case 'Company':
          return pick(s.companies, v.company);
        case 'CompanyContact':
          return pick(s.companyContacts, v.companyContact);
        case 'CompanyLocation':
          return pick(s.companyLocations, v.companyLocation);
        case 'PriceList':
          return pick(s.priceLists, v.priceList);
        case 'FulfillmentOrder':
          return pick(s.fulfillmentOrders, v.fulfillmentOrder);
        case 'Fulfillment':
          return pick(s.fulfillments, v.fulfillment);
        case 'BulkOperation':
          return pick(s.bulkOperations, v.bulkOperation);
        default:
          return null;
      }
    },
  };
  return v;
}
