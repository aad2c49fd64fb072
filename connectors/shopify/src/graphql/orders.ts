import { LINE_ITEM_FIELDS, ORDER_FIELDS } from './fragments.ts';

/** One order with its first `$lineItemsFirst` line items (the rest via ORDER_LINE_ITEMS_QUERY). */
export const ORDER_QUERY = /* GraphQL */ `
query TributaryOrder($id: ID!, $lineItemsFirst: Int!) {
  order(id: $id) {
    ...OrderFields
    lineItems(first: $lineItemsFirst) {
      nodes { ...LineItemFields }
      pageInfo { hasNextPage endCursor }
    }
  }
}
${ORDER_FIELDS}
${LINE_ITEM_FIELDS}
`;

/** The next page of an order's line items. */
export const ORDER_LINE_ITEMS_QUERY = /* GraphQL */ `
query TributaryOrderLineItems($id: ID!, $first: Int!, $after: String) {
  order(id: $id) {
    lineItems(first: $first, after: $after) {
      nodes { ...LineItemFields }
      pageInfo { hasNextPage endCursor }
    }
  }
}
${LINE_ITEM_FIELDS}
`;

/** A page of order summaries (no line items, to keep the cost low). */
export const ORDERS_QUERY = /* GraphQL */ `
query TributaryOrders($first: Int!, $after: String, $query: String, $sortKey: OrderSortKeys, $reverse: Boolean) {
  orders(first: $first, after: $after, query: $query, sortKey: $sortKey, reverse: $reverse) {
    nodes { ...OrderFields }
    pageInfo { hasNextPage endCursor }
  }
}
${ORDER_FIELDS}
`;

/** A page of orders with their first line items, for the "orders updated since" poll. */
export const ORDERS_WITH_LINES_QUERY = /* GraphQL */ `
query TributaryOrdersWithLines($first: Int!, $after: String, $query: String, $lineItemsFirst: Int!) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    nodes {
      ...OrderFields
      lineItems(first: $lineItemsFirst) {
        nodes { ...LineItemFields }
        pageInfo { hasNextPage endCursor }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
${ORDER_FIELDS}
${LINE_ITEM_FIELDS}
`;

/** Orders by name (`#W1042`): how systems that only know the order name (an ERP's external document number) find it. */
export const ORDERS_BY_NAME_QUERY = /* GraphQL */ `
query TributaryOrdersByName($query: String!) {
  orders(first: 5, query: $query) {
    nodes { id name }
  }
}
`;
