import { auth, ConnectorError, oauth2ClientCredentialsAuth, prop, type AuthSpec, type RequestAuth, type ResolvedConnection } from '@tributary/connector-sdk';
import { z } from 'zod';

/** The Entra ID scope for Business Central's APIs with client credentials (service-to-service). */
export const BC_SCOPE = 'https://api.businesscentral.dynamics.com/.default';

/** API v2.0 as documented at learn.microsoft.com/dynamics365/business-central/dev-itpro/api-reference/v2.0/. */
export const API_VERSION = 'v2.0';

/**
 * Business Central's documented per-environment OData limit is 6,000 requests per 5-minute window
 * (20/s); bursts are kept small because the service also queues beyond 5 concurrent requests per user.
 */
export const BC_RATE_LIMIT = { perSecond: 20, burst: 5 };

const base = auth.oauth2ClientCredentials({ scope: BC_SCOPE, rateLimit: BC_RATE_LIMIT });

/**
 * OAuth2 client credentials against Microsoft Entra ID (an app registration with the
 * `API.ReadWrite.All` application permission, added in Business Central's "Microsoft Entra Applications" page).
 */
export const businessCentralAuth: AuthSpec = {
  ...base,
  props: {
    tenantId: prop.string({ label: 'Tenant id', required: true, placeholder: 'contoso.onmicrosoft.com or a GUID' }),
    environment: prop.string({ label: 'Environment', default: 'production', placeholder: 'production' }),
    companyId: prop.string({ label: 'Company id', required: true, description: 'GET …/api/v2.0/companies lists them' }),
    tokenUrl: prop.string({ label: 'Token URL override', advanced: true, description: 'Default https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token' }),
    apiBaseUrl: prop.string({ label: 'API base URL override', advanced: true, description: 'Default https://api.businesscentral.dynamics.com (tests point this at the fake)' }),
    timeoutMs: prop.integer({ label: 'Request timeout (ms)', default: 30_000, min: 1000, max: 300_000, advanced: true }),
  },
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const configSchema = z.object({
  tenantId: z.string().min(1),
  environment: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only').default('production'),
  companyId: z.string().regex(GUID, 'must be the company GUID'),
  tokenUrl: z.url().optional(),
  apiBaseUrl: z.url().optional(),
  timeoutMs: z.number().int().min(1000).max(300_000).default(30_000),
});

export interface BusinessCentralSettings {
  tokenUrl: string;
  /** `…/v2.0/{tenant}/{environment}/api/v2.0/companies({companyId})/` (with the trailing slash). */
  companyUrl: string;
  companyId: string;
  timeoutMs: number;
}

function clean(v: unknown): unknown {
  return v === '' || v === null ? undefined : v;
}

/** Reads the connection's settings, reporting every problem with its field. */
export function businessCentralSettings(connection: ResolvedConnection | null): BusinessCentralSettings {
  if (connection === null) throw new ConnectorError('CONNECTION_MISSING', 'this Business Central step needs a connection, but none is selected');
  const c = connection.config;
  const parsed = configSchema.safeParse(Object.fromEntries(Object.keys(configSchema.shape).map((k) => [k, clean(c[k])])));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new ConnectorError('CONFIG_INVALID', `Business Central connection "${connection.name}": ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { details: { issues } });
  }
  const s = parsed.data;
  const tenant = encodeURIComponent(s.tenantId);
  const apiBase = (s.apiBaseUrl ?? 'https://api.businesscentral.dynamics.com').replace(/\/+$/, '');
  return {
    tokenUrl: s.tokenUrl ?? `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`,
    companyUrl: `${apiBase}/${API_VERSION}/${tenant}/${encodeURIComponent(s.environment)}/api/${API_VERSION}/companies(${s.companyId.toLowerCase()})/`,
    companyId: s.companyId.toLowerCase(),
    timeoutMs: s.timeoutMs,
  };
}

/** Request signing for one connection: the SDK's client-credentials flow (token cached per connection until expiry). */
export function businessCentralRequestAuth(settings: BusinessCentralSettings): RequestAuth {
  return oauth2ClientCredentialsAuth({ tokenUrl: settings.tokenUrl, scope: BC_SCOPE });
}
