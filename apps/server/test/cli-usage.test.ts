import { describe, expect, it } from 'vitest';
import { adminCommands } from '../src/cli/commands.ts';
import { runCli, runInProcess } from './cli-harness.ts';

/** Help and usage errors need no store: exit 0 for --help, 2 for bad usage, nothing opened. */
const NOWHERE = '/nonexistent/tributary-cli-usage';

const USAGE_ERRORS: Array<[args: string[], stderr: RegExp]> = [
  [['flows', 'export'], /expects <dir>/],
  [['flows', 'import', 'a', 'b'], /expects <file|dir>/],
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

describe('tributary admin commands: help and usage', () => {
  it('has the ten admin commands', () => {
    expect(Object.keys(adminCommands).sort()).toEqual(['flows disable', 'flows enable', 'flows export', 'flows import', 'flows publish', 'runs cancel', 'runs list', 'runs replay', 'secrets rotate', 'users create']);
  });

  it.each(Object.keys(adminCommands))('%s --help prints usage and options, exit 0', async (name) => {
    const r = await runInProcess([...name.split(' '), '--help'], { TRIBUTARY_DATA_DIR: NOWHERE });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: tributary ${name}`);
    expect(r.stdout).toMatch(/-h, --help\s+this help/);
    expect(r.stderr).toBe('');
  });

  it.each(USAGE_ERRORS)('%j is bad usage: exit 2', async (args, message) => {
    const r = await runInProcess(args, { TRIBUTARY_DATA_DIR: NOWHERE });
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
