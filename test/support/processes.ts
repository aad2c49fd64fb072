import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './tributary.ts';

export interface Child {
  proc: ChildProcess;
  url: string;
  output: string[];
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Spawns test/support/child-server.ts and resolves once it prints "ready". */
export function spawnTributary(role: 'embedded' | 'server' | 'worker', env: Record<string, string>): Promise<Child> {
  const proc = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', path.join(repoRoot, 'test/support/child-server.ts'), role], {
    cwd: repoRoot,
    // The test runner's own DATABASE_URL / REDIS_URL (CI exports them) must not turn an embedded
    // child into a scaled one: a child gets them only when the test passes them.
    env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role} did not start:\n${output.join('')}`)), 30_000);
    proc.stdout!.on('data', (d: Buffer) => {
      const text = d.toString();
      output.push(text);
      const m = /ready (\S+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve({
          proc,
          url: m[1]!,
          output,
          kill: (signal = 'SIGKILL') =>
            new Promise<void>((r) => {
              if (proc.exitCode !== null || proc.signalCode !== null) return r();
              proc.once('exit', () => r());
              proc.kill(signal);
            }),
        });
      }
    });
    proc.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${role} exited with ${code} before it was ready:\n${output.join('')}`));
    });
  });
}
