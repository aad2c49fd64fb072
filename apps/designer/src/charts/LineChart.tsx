import { useState } from 'react';
import { lineMarks } from './line-path.ts';
import { linearScale, niceMax, niceTicks } from './scale.ts';
import { useElementWidth } from './useElementWidth.ts';

export interface LineSeries {
  name: string;
  color: string;
  values: Array<number | null>;
}

export interface LineChartProps {
  /** X labels (one per point), e.g. times. */
  labels: string[];
  series: LineSeries[];
  formatValue(v: number): string;
  height?: number;
  testId?: string;
  /** Fixed upper bound (e.g. 1 for a rate). */
  max?: number;
}

const PAD = { left: 56, right: 16, top: 12, bottom: 28 };

/** A small hand-written SVG line chart with a hover readout; gaps (null) break the line. */
export function LineChart({ labels, series, formatValue, height = 220, testId, max }: LineChartProps) {
  const [hover, setHover] = useState<number | null>(null);
  const [ref, W] = useElementWidth<HTMLDivElement>();
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const top = max ?? niceMax(Math.max(0, ...all));
  const x = linearScale([0, Math.max(1, labels.length - 1)], [PAD.left, W - PAD.right]);
  const y = linearScale([0, top], [height - PAD.bottom, PAD.top]);
  const ticks = niceTicks(0, top, 4);
  const labelEvery = Math.max(1, Math.ceil(labels.length / Math.max(2, Math.floor(W / 110))));
  if (all.length === 0)
    return (
      <div className="chart-empty muted" ref={ref}>
        No data for this period.
      </div>
    );
  return (
    <div className="chart" data-testid={testId} ref={ref}>
      <svg width={W} height={height} viewBox={`0 0 ${W} ${height}`} role="img" onMouseLeave={() => setHover(null)}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="chart-grid" />
            <text x={PAD.left - 6} y={y(t) + 4} className="chart-axis" textAnchor="end">
              {formatValue(t)}
            </text>
          </g>
        ))}
        {labels.map((l, i) =>
          i % labelEvery === 0 ? (
            <text key={i} x={x(i)} y={height - 8} className="chart-axis" textAnchor="middle">
              {l}
            </text>
          ) : null,
        )}
        {series.map((s) => {
          const marks = lineMarks(s.values, x, y);
          return (
            <g key={s.name} data-series={s.name}>
              {marks.path && <path d={marks.path} fill="none" stroke={s.color} strokeWidth={2} />}
              {marks.dots.map((i) => (
                <circle key={i} className="chart-dot" cx={x(i)} cy={y(s.values[i] ?? 0)} r={3} fill={s.color} />
              ))}
            </g>
          );
        })}
        {labels.map((_, i) => (
          <rect key={i} x={x(i) - (W - PAD.left - PAD.right) / labels.length / 2} y={PAD.top} width={(W - PAD.left - PAD.right) / labels.length} height={height - PAD.top - PAD.bottom} fill="transparent" onMouseEnter={() => setHover(i)} />
        ))}
        {hover !== null && (
          <g pointerEvents="none">
            <line x1={x(hover)} x2={x(hover)} y1={PAD.top} y2={height - PAD.bottom} className="chart-cursor" />
            {series.map((s) => {
              const v = s.values[hover];
              return v === null || v === undefined ? null : <circle key={s.name} cx={x(hover)} cy={y(v)} r={3.5} fill={s.color} />;
            })}
          </g>
        )}
      </svg>
      <div className="chart-legend">
        {series.map((s) => {
          const v = hover === null ? null : s.values[hover];
          return (
            <span key={s.name}>
              <span className="legend-swatch" style={{ background: s.color }} /> {s.name}
              {hover !== null && `: ${v === null || v === undefined ? '—' : formatValue(v)}`}
            </span>
          );
        })}
        {hover !== null && <span className="muted">{labels[hover]}</span>}
      </div>
    </div>
  );
}
