/**
 * The node-type catalog: what kinds of node exist and what config each takes. It is plain JSON so the
 * designer renders forms from it and validation checks flows against it without running connector code.
 * The connector SDK produces these entries; packages/flow only reads them.
 */
export type PropType =
  | 'string'
  | 'text'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'select'
  | 'multiselect'
  | 'json'
  | 'object'
  | 'array'
  | 'connection'
  | 'jsonata'
  | 'mapping'
  | 'code'
  | 'cron'
  | 'timezone';

export interface PropOption {
  value: string | number | boolean;
  label: string;
}

export interface PropSpec {
  type: PropType;
  label: string;
  description?: string;
  required?: boolean;
  default?: unknown;
  placeholder?: string;
  /** Fixed choices for select / multiselect. */
  options?: PropOption[];
  /** For select props whose choices come from the connected system at design time. */
  dynamicOptions?: { action: string };
  /** For `connection` props: which connector's connections fit. */
  connector?: string;
  /** Whether the designer may switch this field to a `{ "$expr": … }` expression (default true). */
  allowExpression?: boolean;
  min?: number;
  max?: number;
  /** For `array`: the item shape; for `object`: its fields. */
  items?: PropSpec;
  properties?: Record<string, PropSpec>;
  /** Advanced fields are folded away in the designer. */
  advanced?: boolean;
}

export type NodeKind = 'trigger' | 'action' | 'logic';

export interface NodeTypeSpec {
  /** `<connector>.<name>`, e.g. `shopify.orderCreated`. */
  type: string;
  connector: string;
  kind: NodeKind;
  label: string;
  description: string;
  /** Palette grouping, e.g. "Shopify", "Logic". */
  group: string;
  /** Output ports besides `error` (which every non-trigger node has when `onError: "route"`). Usually `["out"]`. */
  outputs: string[];
  /** Ports decided by config, e.g. a branch node's case names; `outputsFrom` names the config prop listing them. */
  outputsFrom?: string;
  props: Record<string, PropSpec>;
  /** Whether the step runs inside the isolate (pure) or in the host (connector I/O). */
  runsIn: 'isolate' | 'host';
  /** A representative output, for autocomplete and the mapper's source tree before any run exists. */
  sampleOutput?: unknown;
  /** Trigger-specific facts the runtime needs (webhook signature scheme, schedule). */
  trigger?: { source: 'webhook' | 'schedule' | 'poll' | 'manual'; signature?: 'shopify-hmac' | 'hmac-sha256' | 'none' };
  icon?: string;
  docsUrl?: string;
}

/** Lookup by type; a Map or a plain record both work. */
export type NodeTypeCatalog = ReadonlyMap<string, NodeTypeSpec> | Readonly<Record<string, NodeTypeSpec>>;

export function catalogGet(catalog: NodeTypeCatalog, type: string): NodeTypeSpec | undefined {
  if (catalog instanceof Map) return catalog.get(type);
  const rec = catalog as Readonly<Record<string, NodeTypeSpec>>;
  return Object.prototype.hasOwnProperty.call(rec, type) ? rec[type] : undefined;
}

/** Checks an expression's syntax; passed in so packages/flow stays free of jsonata. */
export type ExpressionChecker = (text: string) => Array<{ message: string; line?: number; column?: number; offset?: number }>;
