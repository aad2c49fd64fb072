/**
 * connectors/core raises the SDK's ConnectorError (codes are the SDK's closed set); this file names
 * the ones its nodes use so the README and tests have one place to look.
 *
 * - CONFIG_INVALID: props that parse but do not make sense together (delay with both `ms` and `until`,
 *   an unknown time zone, a window that is not HH:MM, duplicate branch case names).
 * - RETRY_LATER: `core.delay` longer than the in-process limit; the engine re-queues the step.
 * - NOT_FOUND: `core.xrefLookup` with `ifMissing: "fail"`.
 * - CONFLICT: `core.xrefLink` linking an id that already belongs to another record.
 * - HTTP codes (AUTH_INVALID, RATE_LIMITED, …): `core.httpRequest`, classified by the SDK client.
 * - INTERNAL: a sandbox result that is not JSON.
 */
export { ConnectorError } from '@tributary/connector-sdk';
