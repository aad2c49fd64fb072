export type { JsonObject, JsonPrimitive, JsonValue } from './json.ts';
export { ConnectorError } from './errors.ts';
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
export type { ActionDefinition, AuthKind, AuthSpec, Connector, ConnectorDefinition, TriggerDefinition, TriggerEvent, WebhookRequest } from './define.ts';
export { createRegistry } from './registry.ts';
export type { ConnectorRegistry, NodeImplementation } from './registry.ts';
