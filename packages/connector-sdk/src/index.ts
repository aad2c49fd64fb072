export type { JsonObject, JsonPrimitive, JsonValue } from './json.ts';
export { isJsonObject, toJsonValue } from './json.ts';
export { ConnectorError, isConnectorError, retryLater } from './errors.ts';
export type { ConnectorErrorCode, ConnectorErrorOptions, ErrorKind } from './errors.ts';
export { prop, parseProps, propSpecs } from './props.ts';
export type { PropDef, PropDefs, PropValues } from './props.ts';
export { isRouted, routed } from './context.ts';
export type {
  ActionContext,
  EvaluationLimits,
  Logger,
  LogLine,
  RateLimiterPort,
  ResolvedConnection,
  Routed,
  RunInfo,
  SandboxPort,
  Scope,
  StatePort,
  StepResult,
  StepServices,
  XrefPort,
} from './context.ts';
export { defineAction, defineConnector, defineTrigger } from './define.ts';
export type {
  ActionDefinition,
  AuthKind,
  AuthSpec,
  Connector,
  ConnectorDefinition,
  TriggerDefinition,
  TriggerEvent,
  WebhookRequest,
  WebhookVerification,
} from './define.ts';
export { createRegistry } from './registry.ts';
export type { ConnectorRegistry, NodeImplementation } from './registry.ts';
export { apiTokenAuth, auth, basicAuth, createTokenCache, oauth2ClientCredentialsAuth, requestAuthFor } from './auth.ts';
export type { ApiTokenOptions, BasicAuthOptions, CachedToken, OAuth2ClientCredentialsOptions, RequestAuth, RequestAuthContext, TokenCache } from './auth.ts';
export { errorFromResponse, parseRetryAfter, vendorErrorText } from './classify.ts';
export { assertInCredentialScope, credentialScope, isInCredentialScope } from './credential-scope.ts';
export type { CredentialScope } from './credential-scope.ts';
export { createHttpClient } from './http.ts';
export type { HttpClient, HttpClientOptions, HttpMethod, HttpRequest, HttpResponse, HttpRetryOptions, Query } from './http.ts';
export { followRedirect, MAX_REDIRECTS, REDIRECT_STATUSES } from './redirect.ts';
export type { FollowRedirectOptions, RedirectDecision, RedirectRefusalCode, RedirectRequest } from './redirect.ts';
export { collect, DEFAULT_MAX_PAGES, paginateCursor, paginateLinkHeader, paginateOData, paginateOffset, parseLinkHeader } from './pagination.ts';
export type { PaginationGuard } from './pagination.ts';
export { abortableSleep, createLocalRateLimiter, createRedisRateLimiter } from './rate-limit.ts';
export type { LimiterTiming, RateLimit, RedisEval, RedisRateLimiterOptions, Reservation, TokenBucketLimiter } from './rate-limit.ts';
export { idempotencyKey } from './idempotency.ts';
export { linkSignals } from './signals.ts';
export type { LinkedSignal } from './signals.ts';
export type { IdempotencyParts } from './idempotency.ts';
export { headerValue, SIGNATURE_HEADERS, signHmacSha256, verifyHmacSha256, verifyShopifyHmac, verifySignature, verifyTriggerRequest, webhookSecretOf } from './webhook.ts';
export type { HmacOptions, RawBody } from './webhook.ts';
export { useDigestBackend } from './digest.ts';
export type { DigestBackend } from './digest.ts';
