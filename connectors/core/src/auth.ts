import { apiTokenAuth, basicAuth, ConnectorError, prop, type AuthSpec, type RequestAuth, type ResolvedConnection } from '@tributary/connector-sdk';

export type HttpAuthType = 'none' | 'bearer' | 'basic' | 'apiKey';

/**
 * Connections of the `http` connector: credentials for `core.httpRequest`, chosen per connection.
 * bearer → `Authorization: Bearer <token>`; apiKey → `<headerName>: <token>`; basic → user name + password.
 * `baseUrl` lets steps use relative URLs and is the only place the credentials are sent (the SDK client
 * refuses other URLs, and one with credentials but no base URL refuses all); `rateLimitPerSecond` is shared by all workers.
 */
export const httpAuth: AuthSpec = {
  kind: 'apiToken',
  props: {
    authType: prop.select({
      label: 'Authentication',
      required: true,
      default: 'bearer',
      options: [
        { value: 'none', label: 'None' },
        { value: 'bearer', label: 'Bearer token' },
        { value: 'basic', label: 'Basic (user name and password)' },
        { value: 'apiKey', label: 'API key header' },
      ],
    }),
    headerName: prop.string({ label: 'API key header', default: 'X-API-Key', description: 'For "API key header" only' }),
    username: prop.string({ label: 'User name', description: 'For "Basic" only' }),
    baseUrl: prop.string({
      label: 'Base URL',
      description: 'Relative URLs in HTTP Request steps resolve against it, and the credentials are sent only to URLs under it (required unless Authentication is None)',
      placeholder: 'https://api.example.com/v1/',
    }),
    rateLimitPerSecond: prop.number({ label: 'Rate limit (requests per second)', min: 0.01, advanced: true }),
  },
  secrets: {
    token: prop.string({ label: 'Token or API key', description: 'For "Bearer token" and "API key header"' }),
    password: prop.string({ label: 'Password', description: 'For "Basic" only' }),
  },
  settings: { schemes: ['none', 'bearer', 'basic', 'apiKey'] },
};

function configString(conn: ResolvedConnection, key: string): string | undefined {
  const v = conn.config[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The request auth an `http` connection asks for (null for none). */
export function httpRequestAuth(conn: ResolvedConnection): RequestAuth | null {
  const type = configString(conn, 'authType') ?? 'bearer';
  switch (type) {
    case 'none':
      return null;
    case 'bearer':
      return apiTokenAuth({ secret: 'token' });
    case 'apiKey':
      return apiTokenAuth({ header: configString(conn, 'headerName') ?? 'X-API-Key', prefix: '', secret: 'token' });
    case 'basic':
      return basicAuth({ username: 'username', password: 'password' });
    default:
      throw new ConnectorError('CONFIG_INVALID', `connection "${conn.name}" has an unknown authentication type "${type}"`, { details: { connection: conn.id, field: 'authType' } });
  }
}

/** The connection's shared rate limit, if it sets one. */
export function httpRateLimit(conn: ResolvedConnection): { perSecond: number } | undefined {
  const v = conn.config['rateLimitPerSecond'];
  return typeof v === 'number' && v > 0 ? { perSecond: v } : undefined;
}
