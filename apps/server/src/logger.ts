import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { Logger } from '@tributary/connector-sdk';

export type { PinoLogger };

/**
 * Structured JSON logs. Secret-bearing fields are redacted by path as a second line of defence; the
 * first is that secrets never reach a log call.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): PinoLogger {
  return pino(
    {
      level,
      base: { app: 'tributary' },
      redact: { paths: ['secrets', '*.secrets', 'password', '*.password', 'authorization', '*.authorization', 'headers.authorization', 'headers["x-shopify-access-token"]'], censor: '[redacted]' },
    },
    destination as DestinationStream | undefined,
  );
}

/** Adapts pino to the SDK's Logger port (message first, fields second). */
export function portLogger(log: PinoLogger): Logger {
  return {
    debug: (m, f) => log.debug(f ?? {}, m),
    info: (m, f) => log.info(f ?? {}, m),
    warn: (m, f) => log.warn(f ?? {}, m),
    error: (m, f) => log.error(f ?? {}, m),
  };
}
