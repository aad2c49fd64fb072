import ivm from 'isolated-vm';
import { buildRuntimeBundle } from './bundle.ts';

/**
 * What every isolate starts from: a V8 heap snapshot in which the runtime bundle (jsonata, the mapping
 * library, the entry points) has already been evaluated, so a new isolate and each new context in it
 * start with everything loaded. Built once per process, at first use, and kept in memory.
 */
export interface RuntimeImage {
  snapshot: ivm.ExternalCopy<ArrayBuffer>;
  bundleBytes: number;
  bundleMs: number;
  snapshotBytes: number;
  snapshotMs: number;
}

// Runs once in a throwaway context while the snapshot is made, so V8 compiles the functions a typical
// mapping uses and the snapshot carries their code. Its own state is not kept.
const warmup = `(() => {
  const text = '( $n := note_attributes[name = "po"].value; { "id": $string(id), "po": $n ? $n : null, "email": $lowercase(email),' +
    ' "day": $substring(created_at, 0, 10), "lines": [items.{ "sku": sku, "qty": quantity, "price": $number(price),' +
    ' "discount": $sum(discounts.$number(amount)) }], "total": $sum(items.($number(price) * quantity)),' +
    ' "name": $join([first, last][$], " "), "terms": $lookup("terms", terms, "COD"), "money": $money(total) } )';
  const input = JSON.stringify({ id: 1, email: 'A@B.C', created_at: '2026-11-20T09:14:27-05:00', first: 'Ada', last: 'Lovelace',
    terms: 'Net 30', total: '10.005', note_attributes: [{ name: 'po', value: 'PO-1' }],
    items: [{ sku: 'A', quantity: 2, price: '1.50', discounts: [{ amount: '0.10' }] }] });
  globalThis.__tributary_evaluate(text, input, JSON.stringify({ tables: { terms: { 'Net 30': 'NET30' } } }), 1e6, 8);
})();`;

let image: Promise<RuntimeImage> | undefined;

async function build(): Promise<RuntimeImage> {
  const bundle = await buildRuntimeBundle();
  const started = performance.now();
  const snapshot = ivm.Isolate.createSnapshot([{ code: bundle.code, filename: 'tributary-runtime.js' }], warmup);
  return {
    snapshot,
    bundleBytes: bundle.bytes,
    bundleMs: bundle.buildMs,
    snapshotBytes: snapshot.copy().byteLength,
    snapshotMs: performance.now() - started,
  };
}

/** The process-wide runtime image, built on first call. A failed build is retried on the next call. */
export function runtimeImage(): Promise<RuntimeImage> {
  if (image === undefined) {
    const pending = build();
    image = pending;
    pending.catch(() => {
      if (image === pending) image = undefined;
    });
  }
  return image;
}
