import { ConnectorError, isConnectorError } from '@tributary/connector-sdk';

/**
 * Business Central answers errors as OData bodies `{ "error": { "code", "message" } }`. The SDK classifies the
 * HTTP status; this keeps BC's own code in `details.odataCode` and refines a few:
 *
 * | HTTP / BC code | ConnectorError |
 * | --- | --- |
 * | 412 `Request_EntityChanged` (stale If-Match) | CONFLICT |
 * | 400 `Internal_EntityWithSameKeyExists` | CONFLICT |
 * | 400 other (`BadRequest`, `Internal_RecordNotFound`, `Application_DialogException`…) | VALIDATION |
 * | 401 | AUTH_INVALID |
 * | 403 | AUTH_FORBIDDEN |
 * | 404 | NOT_FOUND |
 * | 429 `Application_TooManyRequests` | RATE_LIMITED (retryAfterMs from Retry-After) |
 * | 5xx / network / timeout | UPSTREAM_UNAVAILABLE / NETWORK / TIMEOUT |
 */
export function odataCodeOf(err: ConnectorError): string | null {
  const d = err.details as { body?: unknown } | undefined;
  const body = d?.body;
  if (typeof body !== 'object' || body === null) return null;
  const e = (body as { error?: unknown }).error;
  if (typeof e !== 'object' || e === null) return null;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : null;
}

export function refineBcError(err: unknown): unknown {
  if (!isConnectorError(err)) return err;
  const odataCode = odataCodeOf(err);
  const details = { ...((err.details as Record<string, unknown> | undefined) ?? {}), odataCode };
  const conflict = err.status === 412 || odataCode === 'Request_EntityChanged' || odataCode === 'Internal_EntityWithSameKeyExists';
  const code = conflict ? 'CONFLICT' : err.code;
  return new ConnectorError(code, err.message, {
    kind: conflict ? 'user' : err.kind,
    retryable: conflict ? false : err.retryable,
    ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
    ...(err.status !== undefined ? { status: err.status } : {}),
    details,
    cause: err,
  });
}
