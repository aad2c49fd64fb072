import { open, readFile, rm } from 'node:fs/promises';
import { StoreError } from '../errors.ts';

/** Lock files this process holds, so a second open in the same process is refused too. */
const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

function inUse(path: string, pid: number | null): StoreError {
  return new StoreError({
    code: 'STORE_UNAVAILABLE',
    retryable: false,
    message: `the data directory is in use by ${pid === null ? 'this process' : `process ${pid}`} (lock file ${path}); PGlite allows one process per directory`,
    details: { lockFile: path, pid },
  });
}

/**
 * Takes `<dataDir>/pglite.lock`: two processes writing one PGlite directory would corrupt it (for
 * example a CLI command run while the server is up). A lock left by a dead process is taken over.
 * Returns the release function.
 */
export async function lockDirectory(path: string): Promise<() => Promise<void>> {
  if (held.has(path)) throw inUse(path, null);
  for (let tries = 0; tries < 3; tries++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      held.add(path);
      return async () => {
        held.delete(path);
        await rm(path, { force: true });
      };
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) {
        throw new StoreError({ code: 'STORE_UNAVAILABLE', retryable: false, message: `cannot create ${path}: ${error instanceof Error ? error.message : String(error)}`, cause: error });
      }
    }
    const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    // Our own pid in a lock we do not hold is a leftover from an earlier life with the same pid (containers).
    if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) throw inUse(path, owner);
    await rm(path, { force: true });
  }
  throw inUse(path, null);
}
