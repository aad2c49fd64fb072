// The example flows as files: where they are, how to read them, and the few values a deployment (or
// the demo, or a test) points at its own systems.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFlow, serializeFlow, type FlowDocument } from '@tributary/flow';

export const examplesDir = path.dirname(fileURLToPath(import.meta.url));

/** The connection names the example flows use; create connections with these names (or edit the flows). */
export const EXAMPLE_CONNECTIONS = { shopify: 'shopify-main', businessCentral: 'business-central-main' } as const;

/**
 * The Shopify location the inventory flows set stock at. A real shop has its own id (Settings →
 * Locations, or `{ locations(first: 10) { nodes { id name } } }`); `withShopifyLocation` swaps it.
 */
export const EXAMPLE_SHOPIFY_LOCATION = 'gid://shopify/Location/1001';

/** Every flow file under examples/ (`flow.json` and `*.flow.json`), as paths relative to examples/, sorted. */
export function exampleFlowFiles(): string[] {
  const out: string[] = [];
  for (const dir of readdirSync(examplesDir).sort()) {
    const abs = path.join(examplesDir, dir);
    if (dir === 'node_modules' || !statSync(abs).isDirectory()) continue;
    for (const f of readdirSync(abs).sort()) if (f === 'flow.json' || f.endsWith('.flow.json')) out.push(`${dir}/${f}`);
  }
  return out;
}

/** The text of a file under examples/. */
export function readExampleText(rel: string): string {
  return readFileSync(path.join(examplesDir, rel), 'utf8');
}

/** A JSON file under examples/ (sample payloads, expected outputs). */
export function readExampleJson<T = unknown>(rel: string): T {
  return JSON.parse(readExampleText(rel)) as T;
}

/** A flow file parsed into a FlowDocument; throws naming the file and every issue when it is not one. */
export function readExampleFlow(rel: string): FlowDocument {
  const r = parseFlow(readExampleText(rel));
  if (!r.ok) throw new Error(`examples/${rel} is not a flow document: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return r.flow;
}

/** The flow with every use of the example Shopify location (config values and query text) replaced by `locationId`. */
export function withShopifyLocation(doc: FlowDocument, locationId: string): FlowDocument {
  const text = JSON.stringify(doc).split(EXAMPLE_SHOPIFY_LOCATION).join(locationId);
  return JSON.parse(text) as FlowDocument;
}

/** The flow with keys of its trigger node's config replaced (e.g. a faster `cron` for the demo or a test). */
export function withTriggerConfig(doc: FlowDocument, patch: Record<string, unknown>): FlowDocument {
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === doc.trigger ? { ...n, config: { ...n.config, ...patch } } : n)) };
}

/** Rewrites every flow file in canonical form (`node examples/index.ts --format`); returns the files it changed. */
export function formatExampleFlows(): string[] {
  const changed: string[] = [];
  for (const rel of exampleFlowFiles()) {
    const text = readExampleText(rel);
    const canonical = serializeFlow(readExampleFlow(rel));
    if (canonical !== text) {
      writeFileSync(path.join(examplesDir, rel), canonical);
      changed.push(rel);
    }
  }
  return changed;
}

if (import.meta.main && process.argv.includes('--format')) {
  const changed = formatExampleFlows();
  process.stdout.write(changed.length ? `formatted ${changed.join(', ')}\n` : 'every flow file is canonical\n');
}
