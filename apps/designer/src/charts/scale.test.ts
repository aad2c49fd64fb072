import { describe, expect, it } from 'vitest';
import { linearScale, niceMax, niceTicks } from './scale.ts';

describe('chart scales', () => {
  it('maps a domain linearly onto a range (inverted for SVG y)', () => {
    const y = linearScale([0, 100], [200, 0]);
    expect(y(0)).toBe(200);
    expect(y(50)).toBe(100);
    expect(y(100)).toBe(0);
  });

  it.each([
    [0, 100, 5, [0, 20, 40, 60, 80, 100]],
    [0, 1, 4, [0, 0.5, 1]],
    [0, 7, 5, [0, 2, 4, 6]],
  ])('niceTicks(%d, %d, %d)', (min, max, count, expected) => {
    expect(niceTicks(min, max, count)).toEqual(expected);
  });

  it.each([
    [0, 1],
    [87, 100],
    [7, 8],
    [1200, 1500],
  ])('niceMax(%d) = %d', (max, expected) => {
    expect(niceMax(max)).toBe(expected);
  });
});
