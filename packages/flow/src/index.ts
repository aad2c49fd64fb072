export {
  CURRENT_SCHEMA_VERSION,
  DEFAULT_PORT,
  ERROR_PORT,
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
