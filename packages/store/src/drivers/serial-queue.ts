/**
 * Runs tasks one after another. PGlite is a single connection: a transaction and a plain query
 * from another caller must never interleave, so every use of it goes through one queue.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task, task);
    // The queue only orders work; each caller observes its own task's outcome through `result`.
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Resolves once everything queued so far has settled. */
  drain(): Promise<void> {
    return this.#tail.then(() => undefined);
  }
}
