import { afterEach, describe, expect, it, vi } from 'vitest';
import { runAt } from './timers.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('runAt', () => {
  it('never runs before its time by the wall clock, even when the timer wakes a millisecond early', async () => {
    let clock = 1_000;
    vi.spyOn(Date, 'now').mockImplementation(() => clock);
    const fired: number[] = [];
    runAt(1_020, () => fired.push(clock));
    clock = 1_019; // the timer fires (after a real 20 ms) while the wall clock still reads 1 ms short
    await new Promise((r) => setTimeout(r, 40));
    expect(fired).toEqual([]);
    clock = 1_020;
    await new Promise((r) => setTimeout(r, 20));
    expect(fired).toEqual([1_020]);
  });

  it('runs a time already past on the next turn, not synchronously, and can be cancelled', async () => {
    const fired: string[] = [];
    runAt(Date.now() - 5, () => fired.push('past'));
    const t = runAt(Date.now() + 10, () => fired.push('cancelled'));
    expect(fired).toEqual([]);
    t.cancel();
    await new Promise((r) => setTimeout(r, 30));
    expect(fired).toEqual(['past']);
  });
});
