export const PRICE_LIST_QUERY = /* GraphQL */ `
query TributaryPriceList($id: ID!) {
  priceList(id: $id) { id name currency }
}
`;

export const PRICE_LIST_FIXED_PRICES_ADD = /* GraphQL */ `
mutation TributaryPriceListFixedPricesAdd($priceListId: ID!, $prices: [PriceListPriceInput!]!) {
  priceListFixedPricesAdd(priceListId: $priceListId, prices: $prices) {
    prices {
      variant { id sku }
      price { amount currencyCode }
      compareAtPrice { amount currencyCode }
    }
    userErrors { field message code }
  }
}
`;
