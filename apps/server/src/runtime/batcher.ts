/**
 * Group commit: calls made while a flush is in flight wait and go out together in the next one, so
 * under load many webhooks share one transaction and at low load nothing waits for a timer.
 */
export class Batcher<T, R> {
  readonly #flush: (items: T[]) => Promise<R[]>;
  readonly #maxItems: number;
  #pending: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  #inFlight = 0;
  readonly #maxInFlight: number;

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
      this.#flush(batch.map((b) => b.item))
        .then(
          (results) => batch.forEach((b, i) => b.resolve(results[i] as R)),
          (err: unknown) => batch.forEach((b) => b.reject(err)),
        )
        .finally(() => {
          this.#inFlight--;
          this.#drain();
        });
    }
  }
}
