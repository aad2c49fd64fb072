export const INVENTORY_SET_QUANTITIES = /* GraphQL */ `
mutation TributaryInventorySetQuantities($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup {
      id
      reason
      changes {
        name
        delta
        quantityAfterChange
        item { id sku }
        location { id }
      }
    }
    userErrors { field message code }
  }
}
`;
