/** An order's fulfillment orders (what can still be shipped, per location) and its existing fulfillments. */
export const FULFILLMENT_ORDERS_QUERY = /* GraphQL */ `
query TributaryFulfillmentOrders($id: ID!) {
  order(id: $id) {
    id
    name
    fulfillments(first: 50) {
      id
      status
      trackingInfo { number company url }
    }
    fulfillmentOrders(first: 20) {
      nodes {
        id
        status
        assignedLocation { location { id } }
      }
    }
  }
}
`;

/** One page of a fulfillment order's lines (fetched separately: nesting them above would exceed the query cost cap). */
export const FULFILLMENT_ORDER_LINES_QUERY = /* GraphQL */ `
query TributaryFulfillmentOrderLines($id: ID!, $after: String) {
  fulfillmentOrder(id: $id) {
    lineItems(first: 100, after: $after) {
      nodes {
        id
        remainingQuantity
        lineItem { id sku }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
}
`;

export const FULFILLMENT_CREATE = /* GraphQL */ `
mutation TributaryFulfillmentCreate($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment {
      id
      name
      status
      createdAt
      trackingInfo { number company url }
    }
    userErrors { field message }
  }
}
`;
