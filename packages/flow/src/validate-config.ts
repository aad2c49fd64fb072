import type { ExpressionChecker, PropSpec } from './catalog.ts';
import type { FlowIssue } from './errors.ts';
import { formatIssuePath, type PathSegment } from './path.ts';
import { isExpressionValue } from './schema.ts';
import { describeValue, isPlainObject } from './util.ts';

/** What the config checks of one node share. */
export interface ConfigContext {
  issues: FlowIssue[];
  nodeId: string | undefined;
  /** Node type, for messages. */
  type: string;
  checkExpression: ExpressionChecker | undefined;
}

/** Checks a config object against the props of its node type: required, types, unknown keys (recursively for `object` props with `properties`). */
export function checkProps(props: Readonly<Record<string, PropSpec>>, config: Record<string, unknown>, path: PathSegment[], ctx: ConfigContext): void {
  for (const [key, prop] of Object.entries(props)) checkValue(prop, config[key], [...path, key], ctx);
  for (const key of Object.keys(config)) {
    if (Object.prototype.hasOwnProperty.call(props, key)) continue;
    push(ctx, {
      code: 'FLOW_CONFIG_UNKNOWN',
      severity: 'warning',
      path: [...path, key],
      message: `"${key}" is not a setting of ${ctx.type}; it is ignored (known settings: ${Object.keys(props).join(', ') || 'none'})`,
    });
  }
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (isExpressionValue(value)) return value.$expr.trim() === '';
  return false;
}

function checkValue(prop: PropSpec, value: unknown, path: PathSegment[], ctx: ConfigContext): void {
  const label = `"${prop.label}"`;
  if (isEmpty(value)) {
    // The runtime fills a missing value from the default, so a required prop with one is satisfied.
    if (prop.required === true && !(value === undefined && prop.default !== undefined)) {
      push(ctx, { code: 'FLOW_CONFIG_REQUIRED', path, message: `${label} is required` });
    }
    return;
  }
  if (isExpressionValue(value)) {
    // Its syntax is checked by checkExpressions, which visits every `$expr` in the config.
    if (prop.allowExpression === false) typeIssue(ctx, path, `${label} must be a fixed value, not an expression`);
    return;
  }
  switch (prop.type) {
    case 'string':
    case 'text':
    case 'code':
    case 'cron':
    case 'timezone':
    case 'connection':
      if (typeof value !== 'string') typeIssue(ctx, path, `${label} must be text, got ${describeValue(value)}`);
      return;
    case 'jsonata':
      if (typeof value !== 'string') typeIssue(ctx, path, `${label} must be a JSONata expression as text, got ${describeValue(value)}`);
      else checkSyntax(value, path, ctx);
      return;
    case 'mapping':
      // A mapping is JSONata text or the field-mapping spec object the mapper edits.
      if (typeof value === 'string') checkSyntax(value, path, ctx);
      else if (!isPlainObject(value)) typeIssue(ctx, path, `${label} must be a mapping (JSONata text or a field mapping), got ${describeValue(value)}`);
      return;
    case 'number':
    case 'integer': {
      const integer = prop.type === 'integer';
      if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
        typeIssue(ctx, path, `${label} must be ${integer ? 'a whole number' : 'a number'}, got ${typeof value === 'number' ? String(value) : describeValue(value)}`);
      } else if (prop.min !== undefined && value < prop.min) {
        typeIssue(ctx, path, `${label} must be at least ${prop.min}, got ${value}`);
      } else if (prop.max !== undefined && value > prop.max) {
        typeIssue(ctx, path, `${label} must be at most ${prop.max}, got ${value}`);
      }
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') typeIssue(ctx, path, `${label} must be true or false, got ${describeValue(value)}`);
      return;
    case 'select':
      checkChoice(prop, value, path, ctx);
      return;
    case 'multiselect':
      if (!Array.isArray(value)) {
        typeIssue(ctx, path, `${label} must be a list of choices, got ${describeValue(value)}`);
        return;
      }
      value.forEach((item: unknown, i) => {
        if (isExpressionValue(item)) {
          if (prop.allowExpression === false) typeIssue(ctx, [...path, i], `${label} must list fixed values, not expressions`);
        } else checkChoice(prop, item, [...path, i], ctx);
      });
      return;
    case 'json':
      return;
    case 'object':
      if (!isPlainObject(value)) typeIssue(ctx, path, `${label} must be an object, got ${describeValue(value)}`);
      else if (prop.properties) checkProps(prop.properties, value, path, ctx);
      return;
    case 'array':
      if (!Array.isArray(value)) typeIssue(ctx, path, `${label} must be a list, got ${describeValue(value)}`);
      else if (prop.items) {
        const items = prop.items;
        value.forEach((item: unknown, i) => checkValue(items, item, [...path, i], ctx));
      }
      return;
  }
}

function checkChoice(prop: PropSpec, value: unknown, path: PathSegment[], ctx: ConfigContext): void {
  const label = `"${prop.label}"`;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    typeIssue(ctx, path, `${label} must be one of its choices, got ${describeValue(value)}`);
    return;
  }
  // Choices fetched from the connected system at design time cannot be checked here.
  const options = prop.options;
  if (!options || options.length === 0) return;
  if (options.some((o) => o.value === value)) return;
  typeIssue(ctx, path, `${label} must be one of ${options.map((o) => JSON.stringify(o.value)).join(', ')}, got ${JSON.stringify(value)}`);
}

/**
 * Visits every value in a config and checks each `{ "$expr": … }` with the injected checker,
 * however deep it sits. An object that has `$expr` but is not exactly `{ "$expr": "<text>" }` is
 * a FLOW_CONFIG_TYPE: the runtime would pass it on as data, which is never what the author meant.
 */
export function checkExpressions(value: unknown, path: PathSegment[], ctx: ConfigContext): void {
  if (isExpressionValue(value)) {
    checkSyntax(value.$expr, path, ctx);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item: unknown, i) => checkExpressions(item, [...path, i], ctx));
    return;
  }
  if (!isPlainObject(value)) return;
  if (Object.prototype.hasOwnProperty.call(value, '$expr')) {
    typeIssue(ctx, path, 'an expression must be exactly { "$expr": "<JSONata text>" } with nothing else beside it');
    return;
  }
  for (const [key, item] of Object.entries(value)) checkExpressions(item, [...path, key], ctx);
}

function checkSyntax(text: string, path: PathSegment[], ctx: ConfigContext): void {
  if (!ctx.checkExpression) return;
  for (const problem of ctx.checkExpression(text)) {
    const where = locate(text, problem);
    const at = where.line !== undefined ? ` at line ${where.line}, column ${where.column} (offset ${where.offset})` : '';
    push(ctx, { code: 'FLOW_EXPRESSION_SYNTAX', path, message: `expression error${at}: ${problem.message}`, ...where });
  }
}

interface Position3 {
  line?: number;
  column?: number;
  offset?: number;
}

/** Completes a checker's position: offset from line/column or line/column from offset (1-based lines and columns, 0-based offset). */
export function locate(text: string, p: Position3): Position3 {
  if (p.offset !== undefined && (p.line === undefined || p.column === undefined)) {
    const offset = Math.max(0, Math.min(p.offset, text.length));
    const before = text.slice(0, offset);
    const lineStart = before.lastIndexOf('\n') + 1;
    return { line: before.split('\n').length, column: offset - lineStart + 1, offset: p.offset };
  }
  if (p.offset === undefined && p.line !== undefined && p.column !== undefined) {
    const lines = text.split('\n');
    let offset = 0;
    for (let i = 0; i < p.line - 1 && i < lines.length; i += 1) offset += (lines[i] as string).length + 1;
    return { line: p.line, column: p.column, offset: Math.min(offset + p.column - 1, text.length) };
  }
  const out: Position3 = {};
  if (p.line !== undefined) out.line = p.line;
  if (p.column !== undefined) out.column = p.column;
  if (p.offset !== undefined) out.offset = p.offset;
  return out;
}

function typeIssue(ctx: ConfigContext, path: PathSegment[], message: string): void {
  push(ctx, { code: 'FLOW_CONFIG_TYPE', path, message });
}

type Draft = Omit<FlowIssue, 'path' | 'severity' | 'nodeId'> & { path: PathSegment[]; severity?: FlowIssue['severity'] };

function push(ctx: ConfigContext, draft: Draft): void {
  const path = formatIssuePath(draft.path);
  // Inside a node the message names the node and the field, not the node's index.
  const inNode = draft.path[0] === 'nodes' && ctx.nodeId !== undefined;
  const where = inNode ? `node "${ctx.nodeId}" ${formatIssuePath(draft.path.slice(2))}` : path;
  const issue: FlowIssue = { ...draft, path, severity: draft.severity ?? 'error', message: `${where}: ${draft.message}` };
  if (ctx.nodeId !== undefined) issue.nodeId = ctx.nodeId;
  ctx.issues.push(issue);
}
