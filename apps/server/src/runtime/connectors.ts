import type { Connector } from '@tributary/connector-sdk';
import { businessCentral } from '@tributary/connector-business-central';
import { coreConnector, httpConnector } from '@tributary/connectors-core';
import { shopify } from '@tributary/connector-shopify';

/** Every connector this build ships. The server is the only place that names concrete connectors. */
export function allConnectors(): Connector[] {
  return [coreConnector, httpConnector, shopify, businessCentral];
}
