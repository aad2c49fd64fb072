// `npm start` after bootstrap: build the designer when its sources are newer than its build, then run
// `tributary start` (embedded mode). Runs under Node 24.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const designer = path.join(root, 'apps', 'designer');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

if (existsSync(path.join(designer, 'package.json'))) {
  const built = path.join(designer, 'dist', 'index.html');
  if (!existsSync(built) || statSync(built).mtimeMs < newest(designer)) {
    const r = spawnSync('pnpm', ['--filter', '@tributary/designer', 'run', 'build'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

// A young generation of up to 64 MB per semi-space (V8's default tops out at 16): a run's objects live
// for its whole slice (tens of ms under load), and with the default they outlive two scavenges and get
// promoted, so old-generation GC does the work. Measured in bench/webhook-to-erp (RESULTS.md, session 3).
const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--max-semi-space-size=64', path.join(root, 'apps/server/src/cli.ts'), 'start', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const sig of ['SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
process.on('SIGINT', () => {});
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
