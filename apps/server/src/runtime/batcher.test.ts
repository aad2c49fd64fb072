import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.ts';

describe('Batcher', () => {
  it('sends what arrives during a flush together in the next one', async () => {
    const flushes: number[][] = [];
    const b = new Batcher<number, number>(async (items) => {
      flushes.push(items);
      await new Promise((r) => setTimeout(r, 10));
      return items.map((x) => x * 2);
    });
    const first = b.add(1);
    await Promise.resolve();
    const rest = [2, 3, 4].map((x) => b.add(x));
    expect(await Promise.all([first, ...rest])).toEqual([2, 4, 6, 8]);
    expect(flushes).toEqual([[1], [2, 3, 4]]);
  });

  it('fails only the bad item of a failed batch', async () => {
    const b = new Batcher<number, number>(async (items) => {
      if (items.includes(13)) throw new Error('unlucky');
      return items;
    });
    const results = await Promise.allSettled([b.add(1), b.add(13), b.add(2)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('keeps up to maxInFlight flushes going at once', async () => {
    let live = 0;
    let peak = 0;
    const b = new Batcher<number, number>(async (items) => {
      live++;
      peak = Math.max(peak, live);
      await new Promise((r) => setTimeout(r, 5));
      live--;
      return items;
    }, { maxItems: 1, maxInFlight: 3 });
    await Promise.all(Array.from({ length: 9 }, (_, i) => b.add(i)));
    expect(peak).toBe(3);
  });

  it("with gather 'io', takes everything added in this turn of the event loop, even behind a flush that blocks the thread", async () => {
    const flushes: number[][] = [];
    // Like PGlite: the work happens synchronously inside flush, so nothing else runs while it is in flight.
    const b = new Batcher<number, number>(async (items) => {
      flushes.push(items);
      const until = Date.now() + 5;
      while (Date.now() < until) {
        // busy, as WebAssembly would be
      }
      return items;
    }, { gather: 'io' });
    const added: Array<Promise<number>> = [];
    // Four "requests" arriving as separate I/O callbacks of one loop turn, then three more later.
    await new Promise<void>((resolve) => {
      for (let i = 0; i < 4; i++) setImmediate(() => added.push(b.add(i)));
      setImmediate(resolve);
    });
    await new Promise((r) => setTimeout(r, 20));
    await new Promise<void>((resolve) => {
      for (let i = 4; i < 7; i++) setImmediate(() => added.push(b.add(i)));
      setImmediate(resolve);
    });
    expect(await Promise.all(added)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(flushes).toEqual([[0, 1, 2, 3], [4, 5, 6]]);
  });
});
