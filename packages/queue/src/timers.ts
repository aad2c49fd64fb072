/**
 * setTimeout caps delays at 2^31-1 ms (~24.8 days); longer waits are chained. A timer can also fire a
 * millisecond before `at` by the wall clock (libuv counts whole milliseconds on its own clock), so an
 * early wake-up waits out the rest: a job is never run before its time. Timers never keep the process alive.
 */
const MAX_TIMEOUT = 2_147_483_647;

export interface Timer {
  cancel(): void;
}

export function runAt(at: number, fn: () => void): Timer {
  let handle: NodeJS.Timeout | undefined;
  const wake = (): void => {
    const wait = at - Date.now();
    if (wait <= 0) return fn();
    handle = setTimeout(wake, Math.min(wait, MAX_TIMEOUT));
    handle.unref();
  };
  if (at <= Date.now()) {
    handle = setTimeout(fn, 0);
    handle.unref();
  } else {
    wake();
  }
  return {
    cancel() {
      if (handle !== undefined) clearTimeout(handle);
    },
  };
}

/** Resolves after `ms`; the returned cancel stops the timer so it doesn't outlive the race it was in. */
export function sleep(ms: number): { promise: Promise<void>; cancel: () => void } {
  let handle: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => {
    handle = setTimeout(resolve, ms);
  });
  return {
    promise,
    cancel() {
      if (handle !== undefined) clearTimeout(handle);
    },
  };
}

/** Waits for `work` up to `timeoutMs`; resolves true when it finished in time. */
export async function within(work: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  const timer = sleep(timeoutMs);
  try {
    return await Promise.race([work.then(() => true), timer.promise.then(() => false)]);
  } finally {
    timer.cancel();
  }
}
