import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ConnectorRegistry, SandboxPort } from '@tributary/connector-sdk';
import type { JobQueue } from '@tributary/queue';
import type { Store } from '@tributary/store';
import type { Config } from '../config.ts';
import type { FlowEvents } from '../runtime/flow-events.ts';
import type { Runtime } from '../runtime/runtime.ts';
import type { SecretBox } from '../secrets.ts';

// Heavy modules (store drivers, engine, queue) are imported when a command runs, so `--help` and
// usage errors answer without loading them.

export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2 } as const;

/** Admin commands (`flows export`, `users create`, `secrets rotate`…): exit 0 ok, 1 failure, 2 bad usage. */
export interface AdminCommand {
  summary: string;
  run(argv: string[]): Promise<number>;
}

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | Array<string | boolean> | undefined>;

/** A string option's value (the last one when repeated). */
export function str(values: Values, name: string): string | undefined {
  const v = values[name];
  const last = Array.isArray(v) ? v.at(-1) : v;
  return typeof last === 'string' ? last : undefined;
}

export function flag(values: Values, name: string): boolean {
  return values[name] === true;
}

export interface CommandSpec {
  name: string;
  usage: string;
  summary: string;
  /** Option lines for --help, e.g. `['--flow ID   only runs of this flow']`. */
  help: string[];
  options: Options;
  /** How many positional arguments, and their names for the usage error. */
  positionals: string[];
  run(input: { values: Values; positionals: string[] }): Promise<number>;
}

/** Parses argv for a command: --help prints help (exit 0), bad options or arguments print usage (exit 2). */
export function command(spec: CommandSpec): AdminCommand {
  const rows = [...spec.help, '-h, --help  this help'].map((l) => {
    const m = /^(.*?\S)\s{2,}(.*)$/.exec(l);
    return m ? [m[1]!, m[2]!] : [l, ''];
  });
  const width = Math.max(...rows.map((r) => r[0]!.length)) + 3;
  const help = `Usage: tributary ${spec.usage}\n\n${spec.summary}.\n\nOptions:\n${rows.map(([a, b]) => `  ${a!.padEnd(width)}${b}\n`).join('')}\nThe store and key come from the same environment as the server (TRIBUTARY_DATA_DIR, DATABASE_URL, TRIBUTARY_SECRET_KEY…).\n`;
  return {
    summary: spec.summary,
    async run(argv) {
      let parsed: { values: Values; positionals: string[] };
      try {
        parsed = parseArgs({ args: argv, options: { ...spec.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }) as { values: Values; positionals: string[] };
      } catch (e) {
        err(`tributary ${spec.name}: ${(e as Error).message}\nUsage: tributary ${spec.usage} (see --help)`);
        return EXIT.USAGE;
      }
      if (parsed.values.help) {
        out(help);
        return EXIT.OK;
      }
      if (parsed.positionals.length !== spec.positionals.length) {
        const what = spec.positionals.length ? `expects ${spec.positionals.map((p) => `<${p}>`).join(' ')}` : 'takes no arguments';
        err(`tributary ${spec.name}: ${what}\nUsage: tributary ${spec.usage} (see --help)`);
        return EXIT.USAGE;
      }
      return spec.run(parsed);
    },
  };
}

/** Who the audit log says did it. */
export function cliActor(): string {
  return 'cli';
}

export function cliDetails(): { via: string; osUser: string } {
  return { via: 'cli', osUser: process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown' };
}

export interface CliStore {
  store: Store;
  secrets: SecretBox;
  close(): Promise<void>;
}

/** The store (and secret box) the server would use with this environment. */
export async function openCliStore(config: Config): Promise<CliStore> {
  const { isStoreError, openStore } = await import('@tributary/store');
  const { createSecretBox, loadSecretKey } = await import('../secrets.ts');
  const store = await openStore(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir }).catch((e: unknown) => {
    throw isStoreError(e) && isObject(e.details) && typeof e.details['lockFile'] === 'string' ? serverHoldsDataDir(config.dataDir, e.details['pid']) : e;
  });
  const secrets = createSecretBox(loadSecretKey({ secretKey: config.secretKey, dataDir: config.dataDir }));
  return { store, secrets, close: () => store.close() };
}

/**
 * The embedded store (PGlite) takes one process per data directory, and a running `tributary start`
 * holds it: say so, and what to do instead of the bare lock error.
 */
function serverHoldsDataDir(dataDir: string, pid: unknown): Error {
  const who = typeof pid === 'number' ? `process ${pid}` : 'another command in this process';
  return new Error(
    `the data directory ${dataDir} is in use by ${who}, most likely a running \`tributary start\`. ` +
      'The embedded store allows one process per data directory: stop that process first, or make the change in the designer or through the API (/api/v1) while it runs.',
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface CliRuntime extends CliStore {
  registry: ConnectorRegistry;
  runtime: Runtime;
  events: FlowEvents;
  queue: JobQueue;
}

const noSandbox: SandboxPort = {
  evaluate: () => Promise.reject(new Error('the CLI does not run steps')),
  runCode: () => Promise.reject(new Error('the CLI does not run steps')),
};

/**
 * Store, registry and a runtime that can queue (replays) and keep schedules in step. With REDIS_URL
 * the queue, schedules and change notices are the servers' own; in the embedded mode a running server
 * picks queued runs up when it next starts, and reconciles schedules then.
 */
export async function openCliRuntime(config: Config): Promise<CliRuntime> {
  const base = await openCliStore(config);
  try {
    const { allConnectors } = await import('../runtime/connectors.ts');
    const { createLocalRateLimiter, createRegistry } = await import('@tributary/connector-sdk');
    const { createQueue } = await import('@tributary/queue');
    const { localFlowEvents, redisFlowEvents } = await import('../runtime/flow-events.ts');
    const { Runtime } = await import('../runtime/runtime.ts');
    const { createLogger } = await import('../logger.ts');
    const { createMetrics } = await import('../metrics.ts');
    const registry = createRegistry(allConnectors());
    const queue = config.redisUrl ? await createQueue({ driver: 'bullmq', redisUrl: config.redisUrl, prefix: 'tributary' }) : await createQueue({ driver: 'local' });
    const events = config.redisUrl ? await redisFlowEvents(config.redisUrl) : localFlowEvents();
    const log = createLogger(process.env['LOG_LEVEL'] ?? 'warn', process.stderr);
    const runtime = new Runtime({ store: base.store, queue, sandbox: noSandbox, registry, secrets: base.secrets, log, metrics: createMetrics({ defaults: false }), rateLimiter: createLocalRateLimiter(), events });
    return {
      ...base,
      registry,
      runtime,
      events,
      queue,
      close: async () => {
        runtime.close();
        await queue.close({ drain: false, timeoutMs: 1000 });
        await events.close();
        await base.close();
      },
    };
  } catch (e) {
    await base.close();
    throw e;
  }
}
