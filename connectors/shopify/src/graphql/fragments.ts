/**
 * Fragments shared by several documents. They are plain strings appended to the documents that use them,
 * so every exported document is complete on its own (the schema test validates each one).
 */

export const MONEY_FIELDS = /* GraphQL */ `
fragment MoneyFields on MoneyBag {
  shopMoney { amount currencyCode }
}
`;

export const ADDRESS_FIELDS = /* GraphQL */ `
fragment AddressFields on MailingAddress {
  firstName lastName company address1 address2 city province provinceCode zip country countryCodeV2 phone
}
`;

export const ORDER_FIELDS = /* GraphQL */ `
fragment OrderFields on Order {
  id
  legacyResourceId
  name
  email
  phone
  createdAt
  updatedAt
  processedAt
  cancelledAt
  currencyCode
  poNumber
  note
  tags
  displayFinancialStatus
  displayFulfillmentStatus
  customAttributes { key value }
  subtotalPriceSet { ...MoneyFields }
  totalTaxSet { ...MoneyFields }
  totalShippingPriceSet { ...MoneyFields }
  totalPriceSet { ...MoneyFields }
  customer { id firstName lastName email }
  purchasingEntity {
    __typename
    ... on PurchasingCompany {
      company { id name externalId }
      location { id name externalId }
      contact { id }
    }
  }
  shippingAddress { ...AddressFields }
  billingAddress { ...AddressFields }
}
${MONEY_FIELDS}
${ADDRESS_FIELDS}
`;

export const LINE_ITEM_FIELDS = /* GraphQL */ `
fragment LineItemFields on LineItem {
  id
  sku
  title
  variantTitle
  name
  quantity
  originalUnitPriceSet { shopMoney { amount } }
  variant { id }
}
`;
