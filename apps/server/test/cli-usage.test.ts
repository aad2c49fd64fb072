import { afterEach, describe, expect, it, vi } from 'vitest';
import { adminCommands } from '../src/cli/commands.ts';
import { runCli } from './cli-harness.ts';

/** Help and usage errors need no store: exit 0 for --help, 2 for bad usage, nothing opened. */
const NOWHERE = '/nonexistent/tributary-cli-usage';

const USAGE_ERRORS: Array<[args: string[], stderr: RegExp]> = [
  [['flows', 'export'], /expects <dir>/],
  [['flows', 'import', 'a', 'b'], /expects <dir>/],
  [['flows', 'publish', 'alpha', '--bogus'], /bogus/],
  [['flows', 'enable'], /expects <flowId>/],
  [['flows', 'disable', '--note', 'x', 'f'], /note/],
  [['runs', 'list', '--limit', 'lots'], /--limit must be a whole number/],
  [['runs', 'list', '--status', 'exploded'], /unknown status "exploded"/],
  [['runs', 'replay'], /expects <runId>/],
  [['users', 'create', '--role', 'admin'], /--email must be an e-mail address/],
  [['users', 'create', '--email', 'a@example.com', '--role', 'root'], /--role must be one of admin, analyst, viewer/],
  [['users', 'create', '--email', 'a@example.com', '--role', 'viewer', '--password', 'short'], /at least 8 characters/],
  [['secrets', 'rotate', 'now'], /takes no arguments/],
  [['secrets', 'rotate', '--new-key'], /argument missing|new-key/],
];

/** Runs a command in this process, capturing what it prints. */
async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const name = args.slice(0, 2).join(' ');
  const cmd = adminCommands[name];
  if (!cmd) throw new Error(`no command ${name}`);
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await cmd.run(args.slice(2));
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('tributary admin commands: help and usage', () => {
  it('has the nine admin commands', () => {
    expect(Object.keys(adminCommands).sort()).toEqual(['flows disable', 'flows enable', 'flows export', 'flows import', 'flows publish', 'runs list', 'runs replay', 'secrets rotate', 'users create']);
  });

  it.each(Object.keys(adminCommands))('%s --help prints usage and options, exit 0', async (name) => {
    const r = await inProcess([...name.split(' '), '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: tributary ${name}`);
    expect(r.stdout).toMatch(/-h, --help\s+this help/);
    expect(r.stderr).toBe('');
  });

  it.each(USAGE_ERRORS)('%j is bad usage: exit 2', async (args, message) => {
    process.env['TRIBUTARY_DATA_DIR'] = NOWHERE;
    const r = await inProcess(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('dispatches through the real executable with the same exit codes', async () => {
    const env = { TRIBUTARY_DATA_DIR: NOWHERE };
    const help = await runCli(['runs', 'replay', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: tributary runs replay <runId> [--from NODE] [--current]');
    const bad = await runCli(['users', 'create', '--email', 'a@example.com', '--role', 'root'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--role must be one of/);
  }, 60_000);
});
