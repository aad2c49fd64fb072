import { z } from 'zod';
import type { CodeEnvelope, EvaluateEnvelope, IsolateFailure, LogCapture } from './isolate/protocol.ts';

// The isolate's answers are parsed like any external input: a code run can tamper with its own
// context, so nothing coming out is trusted to have the right shape.

const failureSchema = z.object({
  kind: z.enum(['syntax', 'runtime', 'memory', 'stack', 'output', 'not-json', 'input', 'code']),
  message: z.string(),
  code: z.string().optional(),
  position: z.number().optional(),
  token: z.string().optional(),
  value: z.unknown().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  size: z.number().optional(),
  name: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  stack: z.string().optional(),
});

const evaluateEnvelopeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown().optional() }),
  z.object({ ok: z.literal(false), error: failureSchema }),
]);

const logsSchema = z.object({
  logs: z.array(z.object({ level: z.enum(['debug', 'info', 'warn', 'error']), message: z.string(), at: z.string() })),
  droppedLines: z.number().int().nonnegative(),
});

const codeEnvelopeSchema = z.discriminatedUnion('ok', [
  logsSchema.extend({ ok: z.literal(true), result: z.unknown().optional() }),
  logsSchema.extend({ ok: z.literal(false), error: failureSchema }),
]);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function stripUndefined(failure: z.infer<typeof failureSchema>): IsolateFailure {
  const out: IsolateFailure = { kind: failure.kind, message: failure.message };
  for (const key of ['code', 'position', 'token', 'value', 'details', 'size', 'name', 'line', 'column', 'stack'] as const) {
    if (failure[key] !== undefined) Object.assign(out, { [key]: failure[key] });
  }
  return out;
}

export function decodeEvaluateEnvelope(text: string): EvaluateEnvelope | undefined {
  const parsed = evaluateEnvelopeSchema.safeParse(parseJson(text));
  if (!parsed.success) return undefined;
  if (!parsed.data.ok) return { ok: false, error: stripUndefined(parsed.data.error) };
  return 'result' in parsed.data && parsed.data.result !== undefined ? { ok: true, result: parsed.data.result } : { ok: true };
}

export function decodeCodeEnvelope(text: string): CodeEnvelope | undefined {
  const parsed = codeEnvelopeSchema.safeParse(parseJson(text));
  if (!parsed.success) return undefined;
  const { logs, droppedLines } = parsed.data;
  if (!parsed.data.ok) return { ok: false, logs, droppedLines, error: stripUndefined(parsed.data.error) };
  return parsed.data.result !== undefined ? { ok: true, logs, droppedLines, result: parsed.data.result } : { ok: true, logs, droppedLines };
}

export function decodeLogs(text: string | undefined): LogCapture | undefined {
  if (text === undefined) return undefined;
  const parsed = logsSchema.safeParse(parseJson(text));
  return parsed.success ? parsed.data : undefined;
}
