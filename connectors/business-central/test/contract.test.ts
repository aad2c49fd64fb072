import { connectorContract } from '@tributary/connector-sdk/testing';
import { startFakeBusinessCentral } from '../../../test/fakes/business-central/index.ts';
import { businessCentral, sampleConnectionConfig } from '../src/index.ts';

connectorContract(businessCentral, {
  fakeServer: async () => (await startFakeBusinessCentral({ pageSize: 2 })).contractServer(),
  connectionFor: (url) => sampleConnectionConfig(url),
  probe: { action: 'listItems', props: { connection: 'business-central-main', includeBlocked: true } },
  // Four items in pages of two: one token request, then two pages.
  pagination: { action: 'listItems', props: { connection: 'business-central-main', includeBlocked: true }, expectedItems: 4, expectedRequests: 3, items: (out) => (out as { items: unknown[] }).items },
  expectedRequests: [
    { method: 'POST', path: /^\/[^/]+\/oauth2\/v2\.0\/token$/ },
    { method: 'GET', path: /^\/v2\.0\/[^/]+\/[^/]+\/api\/v2\.0\/companies\([0-9a-f-]+\)\/items$/ },
  ],
});
