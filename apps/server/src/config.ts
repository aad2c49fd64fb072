import path from 'node:path';
import { z } from 'zod';

/** Every setting Tributary reads from the environment; listed in the README and `tributary start --help`. */
export const ENV_VARS = [
  ['PORT', 'HTTP port', '3000'],
  ['HOST', 'interface to listen on', '127.0.0.1'],
  ['TRIBUTARY_DATA_DIR', 'data directory (PGlite database, key file) in the embedded mode', '.tributary'],
  ['TRIBUTARY_PGLITE_THREAD', "embedded mode: 'worker' runs PGlite on a thread of its own, 'main' on the event loop", 'worker'],
  ['DATABASE_URL', 'PostgreSQL connection string; when set, PostgreSQL is the store instead of PGlite', ''],
  ['REDIS_URL', 'Redis URL; when set, BullMQ on Redis is the queue instead of the in-process one', ''],
  ['TRIBUTARY_SECRET_KEY', '32-byte key (base64 or hex) encrypting connection secrets; else a key file in the data directory', ''],
  ['TRIBUTARY_ADMIN_EMAIL', 'e-mail of the first admin, created on first start', ''],
  ['TRIBUTARY_ADMIN_PASSWORD', 'password of the first admin', ''],
  ['LOG_LEVEL', 'pino log level (trace, debug, info, warn, error, silent)', 'info'],
  ['TRIBUTARY_PUBLIC_URL', 'external base URL (for setup links and Secure cookies behind TLS)', ''],
] as const;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  TRIBUTARY_DATA_DIR: z.string().min(1).default('.tributary'),
  TRIBUTARY_PGLITE_THREAD: z.enum(['worker', 'main']).default('worker'),
  DATABASE_URL: z.string().url('DATABASE_URL must be a postgres:// URL').optional().or(z.literal('').transform(() => undefined)),
  REDIS_URL: z.string().url('REDIS_URL must be a redis:// URL').optional().or(z.literal('').transform(() => undefined)),
  TRIBUTARY_SECRET_KEY: z.string().optional(),
  TRIBUTARY_ADMIN_EMAIL: z.string().email('TRIBUTARY_ADMIN_EMAIL must be an e-mail address').optional().or(z.literal('').transform(() => undefined)),
  TRIBUTARY_ADMIN_PASSWORD: z.string().optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  TRIBUTARY_PUBLIC_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  pgliteThread: 'worker' | 'main';
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  secretKey: string | undefined;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  logLevel: string;
  publicUrl: string | undefined;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const r = envSchema.safeParse(env);
  if (!r.success) {
    throw new ConfigError(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const e = r.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.TRIBUTARY_DATA_DIR),
    pgliteThread: e.TRIBUTARY_PGLITE_THREAD,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    secretKey: e.TRIBUTARY_SECRET_KEY || undefined,
    adminEmail: e.TRIBUTARY_ADMIN_EMAIL,
    adminPassword: e.TRIBUTARY_ADMIN_PASSWORD || undefined,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.TRIBUTARY_PUBLIC_URL,
    ...overrides,
  };
}
