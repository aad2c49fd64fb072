const COMPANY_FIELDS = /* GraphQL */ `
fragment CompanyFields on Company {
  id
  name
  externalId
  note
  createdAt
  updatedAt
  mainContact { id customer { id } }
  locations(first: 20) {
    nodes { id name externalId }
  }
}
`;

const COMPANY_LOCATION_FIELDS = /* GraphQL */ `
fragment CompanyLocationFields on CompanyLocation {
  id
  name
  externalId
  phone
  note
  createdAt
  updatedAt
  company { id }
  shippingAddress { address1 address2 city zip zoneCode countryCode recipient }
  billingAddress { address1 address2 city zip zoneCode countryCode recipient }
}
`;

export const COMPANIES_BY_QUERY = /* GraphQL */ `
query TributaryCompaniesByQuery($query: String!) {
  companies(first: 2, query: $query) {
    nodes { ...CompanyFields }
  }
}
${COMPANY_FIELDS}
`;

export const COMPANY_CREATE = /* GraphQL */ `
mutation TributaryCompanyCreate($input: CompanyCreateInput!) {
  companyCreate(input: $input) {
    company { ...CompanyFields }
    userErrors { field message code }
  }
}
${COMPANY_FIELDS}
`;

export const COMPANY_UPDATE = /* GraphQL */ `
mutation TributaryCompanyUpdate($companyId: ID!, $input: CompanyInput!) {
  companyUpdate(companyId: $companyId, input: $input) {
    company { ...CompanyFields }
    userErrors { field message code }
  }
}
${COMPANY_FIELDS}
`;

export const COMPANY_ASSIGN_CUSTOMER_AS_CONTACT = /* GraphQL */ `
mutation TributaryCompanyAssignCustomerAsContact($companyId: ID!, $customerId: ID!) {
  companyAssignCustomerAsContact(companyId: $companyId, customerId: $customerId) {
    companyContact { id }
    userErrors { field message code }
  }
}
`;

export const COMPANY_LOCATIONS_BY_QUERY = /* GraphQL */ `
query TributaryCompanyLocationsByQuery($query: String!) {
  companyLocations(first: 2, query: $query) {
    nodes { ...CompanyLocationFields }
  }
}
${COMPANY_LOCATION_FIELDS}
`;

export const COMPANY_LOCATION_CREATE = /* GraphQL */ `
mutation TributaryCompanyLocationCreate($companyId: ID!, $input: CompanyLocationInput!) {
  companyLocationCreate(companyId: $companyId, input: $input) {
    companyLocation { ...CompanyLocationFields }
    userErrors { field message code }
  }
}
${COMPANY_LOCATION_FIELDS}
`;

export const COMPANY_LOCATION_UPDATE = /* GraphQL */ `
mutation TributaryCompanyLocationUpdate($companyLocationId: ID!, $input: CompanyLocationUpdateInput!) {
  companyLocationUpdate(companyLocationId: $companyLocationId, input: $input) {
    companyLocation { ...CompanyLocationFields }
    userErrors { field message code }
  }
}
${COMPANY_LOCATION_FIELDS}
`;
