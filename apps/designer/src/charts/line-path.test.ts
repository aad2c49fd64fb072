import { describe, expect, it } from 'vitest';
import { lineMarks } from './line-path.ts';

const x = (i: number) => i * 10;
const y = (v: number) => 100 - v;

describe('lineMarks', () => {
  it('draws a run of points as one path', () => {
    expect(lineMarks([1, 2, 3], x, y)).toEqual({ path: 'M0.0,99.0L10.0,98.0L20.0,97.0', dots: [] });
  });

  it('starts a new segment after a gap', () => {
    expect(lineMarks([1, 2, null, 4, 5], x, y).path).toBe('M0.0,99.0L10.0,98.0M30.0,96.0L40.0,95.0');
  });

  it('marks a point between gaps (or at an edge) as a dot instead of an empty "M" the chart cannot show', () => {
    expect(lineMarks([null, null, 48, null], x, y)).toEqual({ path: '', dots: [2] });
    expect(lineMarks([7, null, 1, 2], x, y)).toEqual({ path: 'M20.0,99.0L30.0,98.0', dots: [0] });
    expect(lineMarks([5], x, y)).toEqual({ path: '', dots: [0] });
  });

  it('draws nothing for an all-empty series', () => {
    expect(lineMarks([null, null], x, y)).toEqual({ path: '', dots: [] });
  });
});
