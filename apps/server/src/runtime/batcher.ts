/**
 * Group commit: calls made while flushes are in flight wait and go out together in the next one, so
 * under load many webhooks share one transaction and at low load nothing waits for a timer.
 * A failed batch of several is retried item by item, so one bad entry fails only its own caller.
 *
 * `gather: 'io'` starts a flush from `setImmediate` rather than a microtask: every request whose I/O
 * is ready in this turn of the event loop adds its item first. That matters when the flush itself
 * runs on this thread (PGlite executes synchronously in WebAssembly): no other callback can run while
 * it is "in flight", so without it each flush would carry one item.
 */
export class Batcher<T, R> {
  readonly #flush: (items: T[]) => Promise<R[]>;
  readonly #maxItems: number;
  readonly #maxInFlight: number;
  #pending: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  #inFlight = 0;
  readonly #gatherIo: boolean;
  #drainScheduled = false;

  constructor(flush: (items: T[]) => Promise<R[]>, opts: { maxItems?: number; maxInFlight?: number; gather?: 'microtask' | 'io' } = {}) {
    this.#flush = flush;
    this.#maxItems = opts.maxItems ?? 128;
    this.#maxInFlight = opts.maxInFlight ?? 1;
    this.#gatherIo = opts.gather === 'io';
  }

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      if (this.#inFlight < this.#maxInFlight) this.#scheduleDrain();
    });
  }

  #scheduleDrain(): void {
    if (!this.#gatherIo) {
      queueMicrotask(() => this.#drain());
      return;
    }
    if (this.#drainScheduled) return;
    this.#drainScheduled = true;
    setImmediate(() => {
      this.#drainScheduled = false;
      this.#drain();
    });
  }

  #drain(): void {
    while (this.#inFlight < this.#maxInFlight && this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.#maxItems);
      this.#inFlight++;
      this.#run(batch).finally(() => {
        this.#inFlight--;
        if (this.#gatherIo) this.#scheduleDrain();
        else this.#drain();
      });
    }
  }

  async #run(batch: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }>): Promise<void> {
    try {
      const results = await this.#flush(batch.map((b) => b.item));
      batch.forEach((b, i) => b.resolve(results[i] as R));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      for (const b of batch) {
        try {
          const [r] = await this.#flush([b.item]);
          b.resolve(r as R);
        } catch (e) {
          b.reject(e);
        }
      }
    }
  }
}
