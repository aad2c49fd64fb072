import { upstream } from '@tributary/flow';
import type { FlowDocument, NodeTypeSpec } from '@tributary/flow';
import type { PathCompletion } from '../editor/completions.ts';
import { sampleFields } from './sample-fields.ts';

export interface ExpressionContextOptions {
  doc: FlowDocument;
  catalog: Readonly<Record<string, NodeTypeSpec>>;
  /** The node whose config is being edited: only its upstream steps are offered. */
  nodeId: string | null;
  /** Step outputs from the last test run, by node id; they beat catalog samples. */
  stepOutputs?: Readonly<Record<string, unknown>>;
}

/** The sample a node's output is described by: the last test run's output, else the catalog's sampleOutput. */
export function nodeSample(options: ExpressionContextOptions, nodeId: string): unknown {
  if (options.stepOutputs && nodeId in options.stepOutputs) return options.stepOutputs[nodeId];
  const node = options.doc.nodes.find((n) => n.id === nodeId);
  return node ? options.catalog[node.type]?.sampleOutput : undefined;
}

/**
 * What an expression in `nodeId`'s config can reference: `$trigger…` paths from the trigger's
 * sample, `$steps.<id>…` for every upstream step, `$execution…` and `$vars`.
 */
export function expressionContextPaths(options: ExpressionContextOptions): PathCompletion[] {
  const { doc } = options;
  const out: PathCompletion[] = [{ path: '$trigger', detail: 'trigger event' }];
  for (const f of sampleFields(nodeSample(options, doc.trigger))) out.push({ path: `$trigger.${f.path}`, detail: f.type });
  const ups = options.nodeId ? upstream(doc, options.nodeId) : doc.nodes.map((n) => n.id);
  for (const id of ups) {
    if (id === doc.trigger) continue;
    out.push({ path: `$steps.${id}`, detail: 'step output' });
    for (const f of sampleFields(nodeSample(options, id))) out.push({ path: `$steps.${id}.${f.path}`, detail: f.type });
  }
  for (const key of ['runId', 'flowId', 'version', 'startedAt', 'test']) out.push({ path: `$execution.${key}`, detail: 'execution' });
  out.push({ path: '$vars', detail: 'variables' });
  return out;
}
