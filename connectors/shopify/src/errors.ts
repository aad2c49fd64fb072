import { ConnectorError } from '@tributary/connector-sdk';

/**
 * Shopify's errors, mapped to the SDK's codes (recognised by code, never by message):
 *
 * | Shopify | ConnectorError |
 * | --- | --- |
 * | mutation `userErrors` | VALIDATION (details.userErrors with field paths) |
 * | `THROTTLED` after the bounded retries | RATE_LIMITED (retryAfterMs = restore time) |
 * | `MAX_COST_EXCEEDED` | VALIDATION (ask for fewer items per page) |
 * | `ACCESS_DENIED` | AUTH_FORBIDDEN (the app lacks an access scope) |
 * | `INTERNAL_SERVER_ERROR` | UPSTREAM_UNAVAILABLE (retryable) |
 * | a document the API version rejects | UPSTREAM_ERROR (internal: the connector and the pinned version disagree) |
 * | other execution errors (bad id…) | VALIDATION |
 * | HTTP 401 / 403 / 404 / 429 / 5xx, network, timeout | as classified by the SDK HTTP client |
 */

export interface ShopifyUserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

export interface ShopifyGraphqlError {
  message: string;
  path?: Array<string | number>;
  locations?: unknown[];
  extensions?: { code?: string; [k: string]: unknown };
}

/** A mutation's `userErrors` as a VALIDATION error naming every field. */
export function userErrorsToError(operation: string, userErrors: readonly ShopifyUserError[]): ConnectorError {
  const list = userErrors.map((e) => ({ field: e.field ? e.field.join('.') : null, message: e.message, code: e.code ?? null }));
  const text = list.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
  return new ConnectorError('VALIDATION', `Shopify rejected ${operation}: ${text}`, { details: { operation, userErrors: list } });
}

/** Top-level GraphQL `errors` (other than THROTTLED) as one ConnectorError. */
export function graphqlErrorsToError(operation: string, apiVersion: string, errors: readonly ShopifyGraphqlError[]): ConnectorError {
  const codes = errors.map((e) => e.extensions?.code).filter((c): c is string => typeof c === 'string');
  const text = errors.map((e) => e.message).join('; ');
  const details = { operation, apiVersion, errors: errors.map((e) => ({ message: e.message, code: e.extensions?.code ?? null, path: e.path ?? null })) };
  if (codes.includes('ACCESS_DENIED')) return new ConnectorError('AUTH_FORBIDDEN', `Shopify denied ${operation} (the app lacks an access scope): ${text}`, { details });
  if (codes.includes('MAX_COST_EXCEEDED')) return new ConnectorError('VALIDATION', `${operation} asks for too much at once (query cost over Shopify’s single-query limit): ${text}`, { details });
  if (codes.includes('INTERNAL_SERVER_ERROR')) return new ConnectorError('UPSTREAM_UNAVAILABLE', `Shopify failed internally on ${operation}: ${text}`, { details });
  // Errors with locations but no path come from parsing/validation: the document itself does not fit this API version.
  if (errors.every((e) => e.path === undefined)) {
    return new ConnectorError('UPSTREAM_ERROR', `Shopify Admin API ${apiVersion} rejected the ${operation} document: ${text}`, { kind: 'internal', retryable: false, details });
  }
  return new ConnectorError('VALIDATION', `Shopify could not run ${operation}: ${text}`, { details });
}
