// Runs the real CLI (`node apps/server/src/cli.ts …`) against a data directory, as an operator would.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const base: Record<string, string> = {};
  // Only what the CLI needs from the outside: never a DATABASE_URL or key from the developer's shell.
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'USER']) if (process.env[k] !== undefined) base[k] = process.env[k]!;
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...base, LOG_LEVEL: 'silent', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Runs an admin command inside the test process (same code as the executable, without the process
 * start-up), with `env` set for its duration and its output captured. For the second and later cases of
 * a command; each command is also spawned at least once.
 */
export async function runInProcess(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  const { adminCommands } = await import('../src/cli/commands.ts');
  const name = args.slice(0, 2).join(' ');
  const cmd = adminCommands[name];
  if (!cmd) throw new Error(`no command ${name}`);
  const saved: Record<string, string | undefined> = {};
  for (const k of ['TRIBUTARY_DATA_DIR', 'TRIBUTARY_SECRET_KEY', 'DATABASE_URL', 'REDIS_URL', 'LOG_LEVEL']) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
  for (const [k, v] of Object.entries({ LOG_LEVEL: 'silent', ...env })) {
    saved[k] ??= process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  let stdout = '';
  let stderr = '';
  const outWrite = process.stdout.write;
  const errWrite = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await cmd.run(args.slice(2));
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = outWrite;
    process.stderr.write = errWrite;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
