import { describe, expect, it } from 'vitest';
import { businessCentralSettings, odataDateTime, odataString } from '../src/index.ts';

const conn = (config: Record<string, string | number>) => ({ id: 'c', name: 'bc', connector: 'business-central', config, secrets: {} });
const companyId = 'A3F1C2D4-5B6E-4F70-8A91-B2C3D4E5F601';

describe('Business Central connection settings', () => {
  it('defaults to Microsoft’s token endpoint and the public API host, production environment', () => {
    expect(businessCentralSettings(conn({ tenantId: 'contoso.onmicrosoft.com', companyId }))).toMatchObject({
      tokenUrl: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
      companyUrl: 'https://api.businesscentral.dynamics.com/v2.0/contoso.onmicrosoft.com/production/api/v2.0/companies(a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601)/',
      timeoutMs: 30_000,
    });
  });

  it('uses both overrides (how tests point it at the fake)', () => {
    const s = businessCentralSettings(conn({ tenantId: 't1', environment: 'sandbox', companyId, tokenUrl: 'http://127.0.0.1:9/t1/oauth2/v2.0/token', apiBaseUrl: 'http://127.0.0.1:9/' }));
    expect([s.tokenUrl, s.companyUrl]).toEqual(['http://127.0.0.1:9/t1/oauth2/v2.0/token', `http://127.0.0.1:9/v2.0/t1/sandbox/api/v2.0/companies(${companyId.toLowerCase()})/`]);
  });

  it.each([
    ['a company id that is not a GUID', { tenantId: 't', companyId: 'CRONUS' }, 'companyId'],
    ['no tenant', { companyId }, 'tenantId'],
    ['an environment name with a slash', { tenantId: 't', companyId, environment: 'prod/../x' }, 'environment'],
  ])('refuses %s as CONFIG_INVALID naming the field', (_what, config, field) => {
    let caught: { code?: string; details?: { issues: Array<{ path: string }> } } = {};
    try {
      businessCentralSettings(conn(config));
    } catch (err) {
      caught = err as typeof caught;
    }
    expect(caught.code).toBe('CONFIG_INVALID');
    expect(caught.details?.issues.map((i) => i.path)).toContain(field);
  });
});

describe('OData literals', () => {
  it.each([
    ["O'Brien & Sons", "'O''Brien & Sons'"],
    ['plain', "'plain'"],
  ])('quotes %s as %s', (value, literal) => {
    expect(odataString(value)).toBe(literal);
  });

  it('writes DateTimeOffset unquoted in UTC', () => {
    expect(odataDateTime('2026-11-20T09:14:27-05:00')).toBe('2026-11-20T14:14:27.000Z');
  });
});
