/**
 * Group commit: calls made while flushes are in flight wait and go out together in the next one, so
 * under load many webhooks share one transaction and at low load nothing waits for a timer.
 * A failed batch of several is retried item by item, so one bad entry fails only its own caller.
 */
export class Batcher<T, R> {
  readonly #flush: (items: T[]) => Promise<R[]>;
  readonly #maxItems: number;
  readonly #maxInFlight: number;
  #pending: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  #inFlight = 0;

  constructor(flush: (items: T[]) => Promise<R[]>, opts: { maxItems?: number; maxInFlight?: number } = {}) {
    this.#flush = flush;
    this.#maxItems = opts.maxItems ?? 128;
    this.#maxInFlight = opts.maxInFlight ?? 1;
  }

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      if (this.#inFlight < this.#maxInFlight) queueMicrotask(() => this.#drain());
    });
  }

  #drain(): void {
    while (this.#inFlight < this.#maxInFlight && this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.#maxItems);
      this.#inFlight++;
      this.#run(batch).finally(() => {
        this.#inFlight--;
        this.#drain();
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
