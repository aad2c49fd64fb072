export {
  CURRENT_SCHEMA_VERSION,
  DEFAULT_PORT,
  ERROR_PORT,
  TRIGGER_INPUT,
  expressionValueSchema,
  flowDocumentSchema,
  flowEdgeSchema,
  flowJsonSchema,
  flowNodeSchema,
  flowSettingsSchema,
  isExpressionValue,
  nodeIdSchema,
  nodeLimitsSchema,
  positionSchema,
  retryPolicySchema,
} from './schema.ts';
export type {
  ExpressionValue,
  FlowDocument,
  FlowDocumentInput,
  FlowEdge,
  FlowNode,
  FlowSettings,
  NodeId,
  NodeLimits,
  Position,
  RetryPolicy,
} from './schema.ts';
export { catalogGet } from './catalog.ts';
export type { ExpressionChecker, NodeKind, NodeTypeCatalog, NodeTypeSpec, PropOption, PropSpec, PropType } from './catalog.ts';
export { FlowError, flowIssueCodes, hasErrors, isFlowError, isFlowIssueCode } from './errors.ts';
export type { FlowErrorCode, FlowErrorKind, FlowErrorOptions, FlowIssue, FlowIssueCode, FlowIssueSeverity, SerializedFlowError } from './errors.ts';
export { formatIssuePath, parseIssuePath } from './path.ts';
export type { PathSegment } from './path.ts';
export { parseFlow } from './parse.ts';
export type { ParseFlowResult } from './parse.ts';
export { assertValidFlow, portNames, validateFlow } from './validate.ts';
export type { ValidateFlowOptions } from './validate.ts';
export { downstream, edgePort, findCycles, incomingEdges, outgoingEdges, reachableFrom, topologicalOrder, upstream } from './graph.ts';
export type { FlowGraphInput } from './graph.ts';
export { mergeLayout, serializeFlow, splitLayout } from './serialize.ts';
export type { FlowLayout, SerializeFlowOptions } from './serialize.ts';
export { flowMigrations, migrateFlow } from './migrate.ts';
export type { FlowMigration, MigrateFlowOptions, MigrateFlowResult, MigrationStepResult } from './migrate.ts';
