import type { Connector } from '@tributary/connector-sdk';
import { coreConnector, httpConnector } from '@tributary/connectors-core';

/** Every connector this build ships. The server is the only place that names concrete connectors. */
export function allConnectors(): Connector[] {
  return [coreConnector, httpConnector];
}
