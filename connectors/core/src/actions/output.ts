import { ConnectorError, toJsonValue, type JsonValue, type Logger, type LogLine } from '@tributary/connector-sdk';

/** Sandbox results are JSON by contract; checked again here so a broken bridge fails loudly, not later. */
export function asJsonOutput(value: unknown, what: string): JsonValue {
  try {
    return toJsonValue(value);
  } catch (err) {
    throw new ConnectorError('INTERNAL', `${what} produced a value that is not JSON: ${(err as Error).message}`, { cause: err });
  }
}

const LEVELS: ReadonlySet<string> = new Set(['debug', 'info', 'warn', 'error']);

/** Writes lines captured in the isolate to the step log (the engine records them with the step). */
export function logCodeLines(log: Logger, lines: readonly LogLine[], fields: Record<string, unknown> = {}): void {
  for (const line of lines) {
    const level = LEVELS.has(line.level) ? line.level : 'info';
    log[level](line.message, { source: 'code', at: line.at, ...fields });
  }
}
