/** Variants by search query (e.g. `sku:ABC-1 OR sku:ABC-2`), with what price and inventory updates need. */
export const VARIANTS_BY_QUERY = /* GraphQL */ `
query TributaryVariantsByQuery($first: Int!, $query: String!, $after: String) {
  productVariants(first: $first, query: $query, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      sku
      price
      compareAtPrice
      product { id }
      inventoryItem { id }
    }
  }
}
`;

/** Variants by id (product id for bulk updates). */
export const VARIANTS_BY_IDS = /* GraphQL */ `
query TributaryVariantsByIds($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on ProductVariant {
      id
      sku
      product { id }
    }
  }
}
`;

export const PRODUCT_VARIANTS_BULK_UPDATE = /* GraphQL */ `
mutation TributaryProductVariantsBulkUpdate($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants) {
    productVariants { id sku price compareAtPrice updatedAt }
    userErrors { field message code }
  }
}
`;
