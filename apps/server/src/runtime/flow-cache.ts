import { flowDocumentSchema, type FlowDocument, type FlowNode, type NodeTypeSpec } from '@tributary/flow';
import type { ConnectorRegistry } from '@tributary/connector-sdk';
import type { Store } from '@tributary/store';

/** A flow as production sees it: enabled, with its current published version parsed once. */
export interface ActiveFlow {
  flowId: string;
  version: number;
  doc: FlowDocument;
  triggerNode: FlowNode;
  triggerSpec: NodeTypeSpec | undefined;
}

/**
 * Published flow versions are immutable, so they are cached for good; which version is current and
 * whether the flow is enabled can change, so that part is re-read after `invalidate` (called locally and
 * from the cross-process channel) or after a short TTL as a backstop.
 */
export class FlowCache {
  readonly #store: Store;
  readonly #registry: ConnectorRegistry;
  readonly #ttlMs: number;
  readonly #versions = new Map<string, FlowDocument>();
  readonly #active = new Map<string, { at: number; value: Promise<ActiveFlow | null> }>();

  constructor(opts: { store: Store; registry: ConnectorRegistry; ttlMs?: number }) {
    this.#store = opts.store;
    this.#registry = opts.registry;
    this.#ttlMs = opts.ttlMs ?? 5000;
  }

  invalidate(flowId?: string): void {
    if (flowId === undefined) this.#active.clear();
    else this.#active.delete(flowId);
  }

  /** The enabled flow's current version, or null when the flow is unknown, deleted, disabled or unpublished. */
  active(flowId: string): Promise<ActiveFlow | null> {
    const hit = this.#active.get(flowId);
    if (hit && Date.now() - hit.at < this.#ttlMs) return hit.value;
    const value = this.#load(flowId);
    this.#active.set(flowId, { at: Date.now(), value });
    value.catch(() => this.#active.delete(flowId));
    return value;
  }

  /** Node type of a node in any cached version of the flow (for metrics labels). */
  nodeType(flowId: string, nodeId: string): string | undefined {
    for (const [key, doc] of this.#versions) {
      if (!key.startsWith(`${flowId}@`)) continue;
      const n = doc.nodes.find((x) => x.id === nodeId);
      if (n) return n.type;
    }
    return undefined;
  }

  async version(flowId: string, version: number): Promise<FlowDocument | null> {
    const key = `${flowId}@${version}`;
    const hit = this.#versions.get(key);
    if (hit) return hit;
    const v = await this.#store.getVersion(flowId, version);
    if (!v) return null;
    const doc = flowDocumentSchema.parse(v.document);
    this.#versions.set(key, doc);
    return doc;
  }

  async #load(flowId: string): Promise<ActiveFlow | null> {
    const flow = await this.#store.getFlow(flowId);
    if (!flow || !flow.enabled || flow.currentVersion === null) return null;
    const doc = await this.version(flowId, flow.currentVersion);
    if (!doc) return null;
    const triggerNode = doc.nodes.find((n) => n.id === doc.trigger);
    if (!triggerNode) return null;
    return { flowId, version: flow.currentVersion, doc, triggerNode, triggerSpec: this.#registry.get(triggerNode.type)?.spec };
  }
}
