import { connectorContract } from '@tributary/connector-sdk/testing';
import { startFakeServer } from '@tributary/connector-sdk/testing/fake-server';
import { coreConnector, httpConnector } from './index.ts';

connectorContract(coreConnector, {
  fakeServer: () =>
    startFakeServer([
      { method: 'GET', path: '/probe', respond: () => ({ json: { ok: true } }) },
    ]),
  connectionFor: (url) => ({ id: 'http-1', name: 'Probe API', connector: 'http', config: { authType: 'bearer', baseUrl: url }, secrets: { token: 'probe-token' } }),
  probe: { action: 'httpRequest', props: (url) => ({ method: 'GET', url: `${url}/probe` }) },
  expectedRequests: [{ method: 'GET', path: '/probe' }],
});

connectorContract(httpConnector, {
  fakeServer: () => startFakeServer([]),
  connectionFor: (url) => ({ id: 'http-1', name: 'API', connector: 'http', config: { baseUrl: url }, secrets: {} }),
});
