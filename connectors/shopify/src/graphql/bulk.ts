const BULK_OPERATION_FIELDS = /* GraphQL */ `
fragment BulkOperationFields on BulkOperation {
  id
  status
  errorCode
  query
  createdAt
  completedAt
  objectCount
  rootObjectCount
  url
  partialDataUrl
}
`;

export const BULK_OPERATION_RUN_QUERY = /* GraphQL */ `
mutation TributaryBulkOperationRunQuery($query: String!) {
  bulkOperationRunQuery(query: $query) {
    bulkOperation { ...BulkOperationFields }
    userErrors { field message code }
  }
}
${BULK_OPERATION_FIELDS}
`;

export const CURRENT_BULK_OPERATION = /* GraphQL */ `
query TributaryCurrentBulkOperation {
  currentBulkOperation(type: QUERY) { ...BulkOperationFields }
}
${BULK_OPERATION_FIELDS}
`;

export const BULK_OPERATION_BY_ID = /* GraphQL */ `
query TributaryBulkOperation($id: ID!) {
  node(id: $id) {
    ... on BulkOperation { ...BulkOperationFields }
  }
}
${BULK_OPERATION_FIELDS}
`;
