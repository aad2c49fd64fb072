/**
 * How a series with gaps (null) is drawn: runs of two or more points become polyline segments, and a
 * point with a gap (or the chart's edge) on both sides becomes a dot. A single hour with runs between
 * empty hours is a value like any other; drawn only as a path it would be `M x,y` with nothing to
 * stroke, and the chart would look empty while the cards above it show a p50.
 */
export interface LineMarks {
  /** SVG path data for the connected runs ('' when there are none). */
  path: string;
  /** Indexes of the points with no neighbour to connect to. */
  dots: number[];
}

export function lineMarks(values: ReadonlyArray<number | null>, x: (i: number) => number, y: (v: number) => number): LineMarks {
  let path = '';
  const dots: number[] = [];
  values.forEach((v, i) => {
    if (v === null) return;
    const before = i > 0 ? values[i - 1] : null;
    const after = i < values.length - 1 ? values[i + 1] : null;
    const joinsBefore = before !== null && before !== undefined;
    const joinsAfter = after !== null && after !== undefined;
    if (!joinsBefore && !joinsAfter) {
      dots.push(i);
      return;
    }
    path += `${joinsBefore ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
  });
  return { path, dots };
}
