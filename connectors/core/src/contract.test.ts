import { describe, expect, it } from 'vitest';
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

describe('core catalog', () => {
  it('puts every node in Triggers, Logic or Data with a sample output for autocomplete', () => {
    const nodes = coreConnector.nodeTypes().map((n) => ({ type: n.type, group: n.group, hasSample: n.sampleOutput !== undefined }));
    expect(nodes.filter((n) => !['Triggers', 'Logic', 'Data'].includes(n.group) || !n.hasSample)).toEqual([]);
    expect(nodes.filter((n) => n.group === 'Triggers').map((n) => n.type)).toEqual(['core.webhook', 'core.schedule', 'core.manual']);
  });

  it('marks pure nodes to run in the isolate and I/O nodes in the host', () => {
    const runsIn = Object.fromEntries(coreConnector.nodeTypes().map((n) => [n.type, n.runsIn]));
    expect(runsIn).toMatchObject({ 'core.map': 'isolate', 'core.code': 'isolate', 'core.filter': 'isolate', 'core.branch': 'isolate', 'core.forEach': 'isolate', 'core.httpRequest': 'host', 'core.xrefLink': 'host' });
  });

  it('gives branch its case ports plus default', () => {
    const branch = coreConnector.nodeTypes().find((n) => n.type === 'core.branch');
    expect({ outputs: branch?.outputs, outputsFrom: branch?.outputsFrom }).toEqual({ outputs: ['default'], outputsFrom: 'cases' });
  });
});
