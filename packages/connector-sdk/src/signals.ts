/** A signal that follows others and an optional deadline, and lets go of them when disposed. */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** True once the deadline, not a source, aborted the signal. */
  readonly timedOut: boolean;
  /** Stops following the sources and clears the deadline; the signal stays as it is. Idempotent. */
  dispose(): void;
}

/**
 * Aborts when any of `sources` aborts (with that source's reason) or, given a deadline, after `ms`
 * (with `reason()`). Use it instead of `AbortSignal.any` / `AbortSignal.timeout` for anything made per
 * run or per request: Node keeps a composite or timeout signal that has an 'abort' listener alive until
 * it aborts, so one that never does (a run that simply finished) was kept for ever, with everything its
 * listeners reach — about 25 KB a run. This one holds nothing once disposed, and nothing holds it.
 * @example
 * const link = linkSignals([job.signal], { ms: 30_000, reason: () => new Error('timed out') });
 * try { await work(link.signal); } finally { link.dispose(); }
 */
export function linkSignals(sources: readonly (AbortSignal | undefined)[], deadline?: { ms: number; reason: () => unknown }): LinkedSignal {
  const controller = new AbortController();
  const followed: [AbortSignal, () => void][] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const dispose = (): void => {
    clearTimeout(timer);
    for (const [source, listener] of followed) source.removeEventListener('abort', listener);
    followed.length = 0;
  };
  for (const source of sources) {
    if (source === undefined) continue;
    if (source.aborted) {
      controller.abort(source.reason);
      break;
    }
    const listener = (): void => {
      dispose();
      controller.abort(source.reason);
    };
    source.addEventListener('abort', listener, { once: true });
    followed.push([source, listener]);
  }
  if (controller.signal.aborted) dispose();
  else if (deadline !== undefined) {
    timer = setTimeout(() => {
      timedOut = true;
      dispose();
      controller.abort(deadline.reason());
    }, deadline.ms);
    // Like AbortSignal.timeout: a deadline alone does not keep the process alive (Node's timers only).
    if (typeof timer === 'object' && timer !== null && 'unref' in timer) (timer as { unref(): void }).unref();
  }
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    dispose,
  };
}
