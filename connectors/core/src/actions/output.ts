import { ConnectorError, toJsonValue, type JsonValue } from '@tributary/connector-sdk';

/** Sandbox results are JSON by contract; checked again here so a broken bridge fails loudly, not later. */
export function asJsonOutput(value: unknown, what: string): JsonValue {
  try {
    return toJsonValue(value);
  } catch (err) {
    throw new ConnectorError('INTERNAL', `${what} produced a value that is not JSON: ${(err as Error).message}`, { cause: err });
  }
}
