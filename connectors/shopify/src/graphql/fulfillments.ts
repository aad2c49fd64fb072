/** An order's fulfillment orders (what can still be shipped, per location) and its existing fulfillments. */
export const FULFILLMENT_ORDERS_QUERY = /* GraphQL */ `
query TributaryFulfillmentOrders($id: ID!) {
  order(id: $id) {
    id
    name
    fulfillments(first: 50) {
      id
      status
      location { id }
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

/** One page of what a fulfillment shipped (what an earlier run of the same step already covered). */
export const FULFILLMENT_LINE_ITEMS_QUERY = /* GraphQL */ `
query TributaryFulfillmentLineItems($id: ID!, $after: String) {
  node(id: $id) {
    ... on Fulfillment {
      fulfillmentLineItems(first: 100, after: $after) {
        nodes {
          quantity
          lineItem { id sku }
        }
        pageInfo { hasNextPage endCursor }
      }
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
