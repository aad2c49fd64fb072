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
});
