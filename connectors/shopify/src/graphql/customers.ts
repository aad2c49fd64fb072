const CUSTOMER_FIELDS = /* GraphQL */ `
fragment CustomerFields on Customer {
  id
  firstName
  lastName
  phone
  note
  tags
  createdAt
  updatedAt
  email
}
`;

export const CUSTOMERS_BY_QUERY = /* GraphQL */ `
query TributaryCustomersByQuery($query: String!) {
  customers(first: 2, query: $query) {
    nodes { ...CustomerFields }
  }
}
${CUSTOMER_FIELDS}
`;

export const CUSTOMER_CREATE = /* GraphQL */ `
mutation TributaryCustomerCreate($input: CustomerInput!) {
  customerCreate(input: $input) {
    customer { ...CustomerFields }
    userErrors { field message }
  }
}
${CUSTOMER_FIELDS}
`;

export const CUSTOMER_UPDATE = /* GraphQL */ `
mutation TributaryCustomerUpdate($input: CustomerInput!) {
  customerUpdate(input: $input) {
    customer { ...CustomerFields }
    userErrors { field message }
  }
}
${CUSTOMER_FIELDS}
`;
