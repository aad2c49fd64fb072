import { linearScale, niceMax } from './scale.ts';
import { useElementWidth } from './useElementWidth.ts';

export interface Bar {
  label: string;
  value: number;
  color?: string;
}

/** Horizontal bars with labels and values, hand-written SVG. */
export function BarChart({ bars, formatValue = String, testId }: { bars: Bar[]; formatValue?: (v: number) => string; testId?: string }) {
  const [ref, W] = useElementWidth<HTMLDivElement>();
  if (bars.length === 0)
    return (
      <div className="chart-empty muted" ref={ref}>
        Nothing to show.
      </div>
    );
  const rowH = 26;
  const labelW = 200;
  const height = bars.length * rowH + 8;
  const x = linearScale([0, niceMax(Math.max(...bars.map((b) => b.value)))], [labelW, W - 60]);
  return (
    <div className="chart" data-testid={testId} ref={ref}>
      <svg width={W} height={height} viewBox={`0 0 ${W} ${height}`} role="img">
        {bars.map((b, i) => (
          <g key={b.label} transform={`translate(0, ${i * rowH + 4})`}>
            <text x={labelW - 8} y={rowH / 2 + 4} className="chart-axis mono" textAnchor="end">
              {b.label.length > 28 ? `${b.label.slice(0, 27)}…` : b.label}
            </text>
            <rect x={labelW} y={4} width={Math.max(2, x(b.value) - labelW)} height={rowH - 8} rx={3} fill={b.color ?? 'var(--accent)'}>
              <title>{`${b.label}: ${formatValue(b.value)}`}</title>
            </rect>
            <text x={x(b.value) + 6} y={rowH / 2 + 4} className="chart-value">
              {formatValue(b.value)}
            </text>
          </g>
        ))}
      </svg>
    </div>
  );
}
