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
