import { checkExpression, jsonataFunctionNames, libraryFunctionNames } from '@tributary/mapping';
import { validateFlow } from '@tributary/flow';
import type { FlowDocument, FlowIssue, NodeTypeSpec } from '@tributary/flow';

/** Every function an expression may call, with `$`, for autocomplete: JSONata's own and our library's. */
export const expressionFunctions: readonly string[] = [...new Set([...libraryFunctionNames, ...jsonataFunctionNames])].map((n) => `$${n}`);

/** The designer's validation: packages/flow's validateFlow with the mapping package's JSONata checker. */
export function validateDraft(doc: FlowDocument, catalog: Readonly<Record<string, NodeTypeSpec>>): FlowIssue[] {
  return validateFlow(doc, catalog, { checkExpression });
}
