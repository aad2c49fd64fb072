import type { QueueEvent, QueueListener } from './types.ts';

/** A tiny typed event hub. A throwing listener must not corrupt queue state, so its error is rethrown on its own tick. */
export class EventHub {
  readonly #listeners = new Set<QueueListener>();

  on(listener: QueueListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  emit(event: QueueEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
