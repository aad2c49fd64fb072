import { runAction } from '@tributary/connector-sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { getOrder, listOrders, runBulkQuery, sampleConnectionConfig, shopifySettings } from '../src/index.ts';
import { harness, rejection, type Harness } from './helpers.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Shopify connection settings', () => {
  it.each([
    ['a shop domain', { shopDomain: 'northwind.myshopify.com' }, 'https://northwind.myshopify.com/admin/api/2025-01/'],
    ['a pinned older version', { shopDomain: 'northwind.myshopify.com', apiVersion: '2024-10' }, 'https://northwind.myshopify.com/admin/api/2024-10/'],
    ['a base URL override', { baseUrl: 'http://127.0.0.1:9999/', apiVersion: '2025-01' }, 'http://127.0.0.1:9999/admin/api/2025-01/'],
  ])('builds the Admin API URL from %s', (_what, config, adminUrl) => {
    expect(shopifySettings({ id: 'c', name: 'c', connector: 'shopify', config, secrets: {} }).adminUrl).toBe(adminUrl);
  });

  it.each([
    ['no shop domain nor base URL', {}, 'shopDomain'],
    ['a shop domain that is not *.myshopify.com', { shopDomain: 'northwind.com' }, 'shopDomain'],
    ['a malformed API version', { shopDomain: 'northwind.myshopify.com', apiVersion: '2025-02' }, 'apiVersion'],
  ])('refuses %s as CONFIG_INVALID naming the field', (_what, config, field) => {
    let caught: { code?: string; details?: { issues: Array<{ path: string }> } } = {};
    try {
      shopifySettings({ id: 'c', name: 'c', connector: 'shopify', config, secrets: {} });
    } catch (err) {
      caught = err as typeof caught;
    }
    expect(caught.code).toBe('CONFIG_INVALID');
    expect(caught.details?.issues.map((i) => i.path)).toContain(field);
  });
});

describe('talking to the Admin API', () => {
  it('sends X-Shopify-Access-Token to the connection’s pinned version', async () => {
    const x = (h = await harness());
    await runAction(listOrders, { props: {}, connection: sampleConnectionConfig(x.fake.url, { id: 'pinned', apiVersion: '2024-10' }), services: x.services });
    expect(x.fake.graphqlRequests.map((r) => r.version)).toEqual(['2024-10']);
    expect(x.fake.requests[0]!.headers['x-shopify-access-token']).toBe(x.fake.accessToken);
  });

  it('a wrong token is AUTH_INVALID carrying Shopify’s message', async () => {
    const x = (h = await harness());
    const err = await rejection(runAction(getOrder, { props: { id: '1' }, connection: sampleConnectionConfig(x.fake.url, { id: 'bad', accessToken: 'shpat_wrong' }), services: x.services }));
    expect([err.code, err.retryable]).toEqual(['AUTH_INVALID', false]);
    expect(err.message).toMatch(/Invalid API key or access token/);
  });

  it('downloads bulk results without sending the access token (the result URL is pre-signed storage)', async () => {
    const x = (h = await harness({ bulkPollsToComplete: 0 }));
    x.fake.seed.order({ lineItems: [{ sku: 'TR2-SLT-10', quantity: 1 }] });
    await x.run(runBulkQuery, { query: '{ orders { edges { node { id } } } }' });
    const download = x.fake.requests.filter((r) => r.path.startsWith('/bulk/'));
    expect(download).toHaveLength(1);
    expect(download[0]!.headers['x-shopify-access-token']).toBeUndefined();
  });

  it('an outage is a retryable UPSTREAM_UNAVAILABLE, refused connections a retryable NETWORK error', async () => {
    const x = (h = await harness());
    await x.fake.setOutage('503');
    expect(await rejection(x.run(listOrders, {}))).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
    await x.fake.setOutage('refuse');
    expect(await rejection(x.run(listOrders, {}))).toMatchObject({ code: 'NETWORK', retryable: true });
    await x.fake.setOutage('none');
    expect(await x.run(listOrders, {})).toMatchObject({ orders: [] });
  });
});
