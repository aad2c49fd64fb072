import { defineConnector } from '@tributary/connector-sdk';
import { httpAuth } from './auth.ts';

/**
 * The `http` connector: no nodes of its own, only the connection type `core.httpRequest` uses
 * (bearer token, basic, API key header, or none; base URL; shared rate limit).
 */
export const httpConnector = defineConnector({
  id: 'http',
  label: 'HTTP',
  description: 'Credentials for HTTP Request steps: bearer token, basic auth or an API key header.',
  group: 'Data',
  auth: httpAuth,
  actions: [],
  triggers: [],
});
