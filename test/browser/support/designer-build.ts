// Makes sure a build of the designer matching its current sources exists, and returns its directory.
//
// Builds go to <tmp>/tributary-designer-build/<hash of the sources>/ rather than apps/designer/dist: test files
// run in parallel, other people rebuild dist while working, and a build keyed by content is never
// stale and never half-written (it is built next to its final name and renamed into place). A lock
// directory keeps parallel test files from building the same sources twice; whoever loses the race
// waits for the winner's result.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../support/tributary.ts';

const designerRoot = path.join(repoRoot, 'apps/designer');
// In the temp directory (npm test points TMPDIR at .cache/tmp in the checkout).
const cacheRoot = path.join(tmpdir(), 'tributary-designer-build');
/** What the bundle is made of: the app and the two pure packages it imports. */
const SOURCES = ['apps/designer', 'packages/flow', 'packages/mapping'];
const SKIP = new Set(['node_modules', 'dist', '.vite']);
const KEEP_BUILDS = 3;

function listFiles(dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name) || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) listFiles(p, out);
    else if (e.isFile()) out.push(p);
  }
}

/** A hash of every source file's path and content (cheap: a few hundred small files). */
export function designerSourceHash(): string {
  const files: string[] = [];
  for (const s of SOURCES) listFiles(path.join(repoRoot, s), files);
  files.sort();
  const h = createHash('sha256');
  for (const f of files) {
    h.update(path.relative(repoRoot, f));
    h.update('\0');
    h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

function viteBuild(outDir: string): Promise<void> {
  const vite = path.join(designerRoot, 'node_modules/vite/bin/vite.js');
  if (!existsSync(vite)) throw new Error(`vite is not installed at ${vite}; run the workspace install (npm test bootstraps it)`);
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
  for (const k of Object.keys(env)) if (k.startsWith('VITEST')) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--sourcemap', 'false', '--logLevel', 'error'], { cwd: designerRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && existsSync(path.join(outDir, 'index.html')) ? resolve() : reject(new Error(`designer build failed (exit ${code}):\n${output.slice(-4000)}`))));
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid in a lock directory; null while it is being written or after it went away. */
function lockOwner(lock: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(lock, 'pid'), 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function lockAgeMs(lock: string): number {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return 0;
  }
}

/** Removes all but the newest few builds, never the one in use. */
function prune(keep: string): void {
  const dirs = readdirSync(cacheRoot, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^[0-9a-f]{16}$/.test(e.name) && e.name !== keep)
    .map((e) => ({ name: e.name, at: statSync(path.join(cacheRoot, e.name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const d of dirs.slice(KEEP_BUILDS - 1)) rmSync(path.join(cacheRoot, d.name), { recursive: true, force: true });
}

/**
 * The directory of a designer build made from the current sources, building it first when there is
 * none (about 10–30 s; later calls return at once).
 */
export async function ensureDesignerBuild(): Promise<string> {
  const hash = designerSourceHash();
  const outDir = path.join(cacheRoot, hash);
  const ready = () => existsSync(path.join(outDir, 'index.html'));
  if (ready()) return outDir;
  mkdirSync(cacheRoot, { recursive: true });
  const lock = path.join(cacheRoot, `${hash}.lock`);
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    if (ready()) return outDir;
    try {
      mkdirSync(lock);
    } catch {
      // Someone else is building these sources: wait for them, unless they died.
      const owner = lockOwner(lock);
      if ((owner !== null && !pidAlive(owner)) || lockAgeMs(lock) > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for another process to build the designer (lock ${lock})`);
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    try {
      writeFileSync(path.join(lock, 'pid'), String(process.pid));
      if (ready()) return outDir;
      const tmp = `${outDir}.tmp-${process.pid}`;
      rmSync(tmp, { recursive: true, force: true });
      await viteBuild(tmp);
      renameSync(tmp, outDir);
      prune(hash);
      return outDir;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
