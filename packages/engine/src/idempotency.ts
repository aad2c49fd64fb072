/**
 * Idempotency key for a step's writes: the same for every retry, resume and replay of the same source
 * event through the same node, so the target can drop a repeat. FNV-1a keeps the engine free of node:crypto.
 */
export function idempotencyKey(parts: { flowId: string; nodeId: string; runKey: string }): string {
  const text = `${parts.flowId}\u0000${parts.nodeId}\u0000${parts.runKey}`;
  return `tb1-${fnv1a(text, 0x811c9dc5)}${fnv1a(text, 0x01000193)}`;
}

function fnv1a(text: string, seed: number): string {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
