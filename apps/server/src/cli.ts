#!/usr/bin/env node
// `tributary <command>`: the processes (start, server, worker) and admin commands. Exit codes:
// 0 success, 1 failure at run time, 2 bad usage or configuration.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { ConfigError, ENV_VARS, loadConfig } from './config.ts';
import type { Running } from './processes.ts';
import { adminCommands } from './cli/commands.ts';

export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2 } as const;

const envHelp = ENV_VARS.map(([name, what, def]) => `  ${name.padEnd(26)} ${what}${def ? ` (default ${def})` : ''}`).join('\n');

interface ProcessCommand {
  summary: string;
  usage: string;
  worker: boolean;
  http: boolean;
}

const PROCESS_COMMANDS: Record<string, ProcessCommand> = {
  start: { summary: 'run everything in one process: API, webhooks, worker, scheduler (embedded default)', usage: 'tributary start [--concurrency N] [--demo]', worker: true, http: true },
  server: { summary: 'run the HTTP side only (API, webhooks, schedules) for the scaled mode', usage: 'tributary server', worker: false, http: true },
  worker: { summary: 'run flows from the queue (scaled mode: needs REDIS_URL and DATABASE_URL)', usage: 'tributary worker [--concurrency N]', worker: true, http: false },
};

function usage(): string {
  const lines = Object.entries(PROCESS_COMMANDS).map(([n, c]) => `  ${n.padEnd(22)} ${c.summary}`);
  for (const [n, c] of Object.entries(adminCommands)) lines.push(`  ${n.padEnd(22)} ${c.summary}`);
  return `Usage: tributary <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun \`tributary <command> --help\` for a command's options.\n\nEnvironment:\n${envHelp}\n`;
}

async function runProcess(name: string, cmd: ProcessCommand, argv: string[]): Promise<number> {
  const options: ParseArgsOptionsConfig = { help: { type: 'boolean', short: 'h' }, concurrency: { type: 'string' } };
  if (name === 'start') options['demo'] = { type: 'boolean' };
  const { values } = parseArgs({ args: argv, options, strict: true });
  if (values.help) {
    const demoHelp = name === 'start' ? '  --demo                     a demo workspace: fake Shopify and Business Central, the example flows, orders flowing (also TRIBUTARY_DEMO=1)\n' : '';
    process.stdout.write(`Usage: ${cmd.usage}\n\n${cmd.summary}.\n\nOptions:\n  --concurrency N            runs at once in this process's worker (default 32)\n${demoHelp}  -h, --help                 this help\n\nEnvironment:\n${envHelp}\n`);
    return EXIT.OK;
  }
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) {
    process.stderr.write('tributary: --concurrency must be a whole number of at least 1\n');
    return EXIT.USAGE;
  }
  const demoModule = name === 'start' ? await import('./demo/index.ts') : null;
  const demo = demoModule !== null && (values['demo'] === true || demoModule.demoRequested());
  const config = loadConfig(process.env, demo && demoModule ? demoModule.demoConfig() : {});
  if (name === 'worker' && (!config.redisUrl || !config.databaseUrl)) {
    process.stderr.write('tributary worker: the scaled mode needs REDIS_URL and DATABASE_URL (use `tributary start` for the embedded mode)\n');
    return EXIT.USAGE;
  }
  // Loaded only for the processes: admin commands start faster without the runtime's modules.
  const { startProcess } = await import('./processes.ts');
  const running: Running = await startProcess(config, { mode: name === 'start' ? 'embedded' : name === 'server' ? 'server' : 'worker', worker: cmd.worker, http: cmd.http, ...(concurrency ? { concurrency } : {}) });
  const demoWorkspace = demo && demoModule && running.url ? await demoModule.startDemo(running.ctx, { baseUrl: running.url }) : null;
  const where = running.url ? ` on ${running.url}` : '';
  running.ctx.log.info({ mode: running.ctx.mode, store: config.databaseUrl ? 'postgres' : 'pglite', queue: config.redisUrl ? 'bullmq' : 'local' }, `Tributary ${name} ready${where}`);
  if (running.url) process.stdout.write(`Tributary is running${where} (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) {
        process.stderr.write('tributary: forced exit\n');
        process.exit(EXIT.FAILURE);
      }
      stopping = true;
      running.ctx.log.info({ signal }, 'stopping: finishing runs in flight');
      (demoWorkspace ? demoWorkspace.close() : Promise.resolve()).then(() => running.close()).then(resolve, (err: unknown) => {
        running.ctx.log.error({ err }, 'error while stopping');
        resolve();
      });
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
  return EXIT.OK;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? EXIT.OK : EXIT.USAGE;
  }
  try {
    const pc = PROCESS_COMMANDS[name];
    if (pc) return await runProcess(name, pc, rest);
    // Two-word commands: `flows export`, `users create`…
    const two = rest[0] && !rest[0].startsWith('-') ? `${name} ${rest[0]}` : undefined;
    const admin = (two && adminCommands[two]) || adminCommands[name];
    if (admin) return await admin.run(two && adminCommands[two] ? rest.slice(1) : rest);
    process.stderr.write(`tributary: unknown command "${name}"\n\n${usage()}`);
    return EXIT.USAGE;
  } catch (err) {
    if (err instanceof ConfigError || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (err as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      process.stderr.write(`tributary: ${(err as Error).message}\n`);
      return EXIT.USAGE;
    }
    process.stderr.write(`tributary: ${(err as Error).message}\n`);
    return EXIT.FAILURE;
  }
}

if (import.meta.main) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
