/**
 * Fixed-window attempt counters for sign-in (per IP and per e-mail). Attempts are counted before the
 * password is checked (so parallel guesses count too) and a successful one is taken back. In memory: each server process
 * counts on its own, so behind N processes an attacker gets at most N times the budget — still a
 * hard ceiling on guessing. Old windows are swept as keys are touched.
 */
export interface AttemptLimiter {
  /** Counts one attempt; returns 0 when allowed, else the seconds until the key may try again. */
  hit(key: string): number;
  /** Seconds until the key may try again, without counting (0 = allowed). */
  retryAfter(key: string): number;
  /** Takes back one counted attempt (a sign-in that succeeded). */
  undo(key: string): void;
  reset(key: string): void;
}

export function createAttemptLimiter(opts: { max: number; windowMs: number; now?: () => number }): AttemptLimiter {
  const now = opts.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = now();
  const sweep = (t: number): void => {
    if (t - lastSweep < opts.windowMs) return;
    lastSweep = t;
    for (const [k, w] of windows) if (t - w.start >= opts.windowMs) windows.delete(k);
  };
  const wait = (w: { start: number }, t: number): number => Math.max(1, Math.ceil((w.start + opts.windowMs - t) / 1000));
  return {
    hit(key) {
      const t = now();
      sweep(t);
      let w = windows.get(key);
      if (!w || t - w.start >= opts.windowMs) {
        w = { start: t, count: 0 };
        windows.set(key, w);
      }
      if (w.count >= opts.max) return wait(w, t);
      w.count++;
      return 0;
    },
    retryAfter(key) {
      const t = now();
      const w = windows.get(key);
      if (!w || t - w.start >= opts.windowMs || w.count < opts.max) return 0;
      return wait(w, t);
    },
    undo(key) {
      const w = windows.get(key);
      if (w && w.count > 0) w.count--;
    },
    reset(key) {
      windows.delete(key);
    },
  };
}
