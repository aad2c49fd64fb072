import { z } from 'zod';
import { SandboxError } from './errors.ts';

/**
 * Limits of one evaluation or code run. Same shape as connector-sdk's `EvaluationLimits`, so a node's
 * `limits` config passes straight through.
 */
export interface Limits {
  /** Wall time of the evaluation itself (not the wait for a free isolate), in milliseconds. */
  timeoutMs: number;
  /** Heap of the isolate that runs it (isolated-vm `memoryLimit`), in MB. */
  memoryMb: number;
  /** Size of the result as UTF-8 JSON, in bytes. */
  outputBytes: number;
}

export const defaultLimits: Readonly<Limits> = Object.freeze({
  timeoutMs: 1000,
  memoryMb: 64,
  outputBytes: 5 * 1024 * 1024,
});

/** Bounds that keep a misconfigured node from hurting the worker: isolated-vm needs at least 8 MB. */
export const limitBounds = {
  timeoutMs: { min: 1, max: 10 * 60 * 1000 },
  memoryMb: { min: 8, max: 4096 },
  outputBytes: { min: 2, max: 512 * 1024 * 1024 },
} as const;

const bounded = (b: { min: number; max: number }) => z.number().int().min(b.min).max(b.max);

export const partialLimitsSchema = z
  .object({
    timeoutMs: bounded(limitBounds.timeoutMs).optional(),
    memoryMb: bounded(limitBounds.memoryMb).optional(),
    outputBytes: bounded(limitBounds.outputBytes).optional(),
  })
  .strict();

/** Parses caller-supplied limits, naming the offending field in the error. */
export function parseLimits(value: unknown, where: string): Partial<Limits> {
  if (value === undefined) return {};
  const parsed = partialLimitsSchema.safeParse(value);
  if (parsed.success) {
    const out: Partial<Limits> = {};
    if (parsed.data.timeoutMs !== undefined) out.timeoutMs = parsed.data.timeoutMs;
    if (parsed.data.memoryMb !== undefined) out.memoryMb = parsed.data.memoryMb;
    if (parsed.data.outputBytes !== undefined) out.outputBytes = parsed.data.outputBytes;
    return out;
  }
  const issues = parsed.error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
  throw new SandboxError('SANDBOX_INVALID_REQUEST', `Invalid ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
    details: { issues },
  });
}

export function resolveLimits(base: Limits, override: Partial<Limits>): Limits {
  return {
    timeoutMs: override.timeoutMs ?? base.timeoutMs,
    memoryMb: override.memoryMb ?? base.memoryMb,
    outputBytes: override.outputBytes ?? base.outputBytes,
  };
}
