import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import type { Kpis } from '../api/types.ts';
import { BarChart } from '../charts/BarChart.tsx';
import { LineChart } from '../charts/LineChart.tsx';
import { EmptyState, Spinner, StatusPill } from '../components/EmptyState.tsx';
import { errorText, formatDuration, formatPercent } from '../lib/format.ts';
import { toastError } from '../state/useToasts.ts';

const PERIODS = [
  { label: 'Last 24 hours', hours: 24 },
  { label: 'Last 7 days', hours: 24 * 7 },
  { label: 'Last 30 days', hours: 24 * 30 },
];

function timeLabel(t: string | number, hours: number): string {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return String(t);
  return hours <= 24 ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

function successRate(k: Kpis): { value: number | null; series: Array<{ t: string | number; value: number | null }> } {
  const s = k.syncSuccessRate;
  if (s === null) return { value: null, series: [] };
  if (typeof s === 'number') return { value: s, series: [] };
  return { value: s.value ?? null, series: s.series ?? [] };
}

/** The wholesale KPIs: order processing time, sync success, failures by code, connection health. */
export function KpiPage() {
  const [hours, setHours] = useState(24);
  const [kpis, setKpis] = useState<Kpis | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    setKpis(null);
    setFailed(false);
    api.kpis(new Date(Date.now() - hours * 3_600_000).toISOString()).then(setKpis, (err: unknown) => {
      setFailed(true);
      toastError(err);
    });
  }, [hours]);

  const rate = kpis ? successRate(kpis) : null;
  return (
    <div className="page">
      <header className="page-header">
        <h1>KPIs</h1>
        <select value={hours} onChange={(e) => setHours(Number(e.target.value))} data-testid="kpi-period">
          {PERIODS.map((p) => (
            <option key={p.hours} value={p.hours}>
              {p.label}
            </option>
          ))}
        </select>
      </header>
      {failed ? (
        <EmptyState title="KPIs are not available" />
      ) : !kpis || !rate ? (
        <Spinner />
      ) : (
        <div className="kpi-grid" data-testid="kpis">
          <div className="card kpi-card">
            <div className="kpi-label">Order processing p50</div>
            <div className="kpi-value" data-testid="kpi-p50">
              {formatDuration(kpis.orderProcessing.p50)}
            </div>
            <div className="muted small">webhook received → sales order in the ERP</div>
          </div>
          <div className="card kpi-card">
            <div className="kpi-label">Order processing p95</div>
            <div className="kpi-value" data-testid="kpi-p95">
              {formatDuration(kpis.orderProcessing.p95)}
            </div>
          </div>
          <div className="card kpi-card">
            <div className="kpi-label">Sync success rate</div>
            <div className={`kpi-value${rate.value !== null && rate.value < (rate.value <= 1 ? 0.95 : 95) ? ' kpi-bad' : ''}`} data-testid="kpi-success">
              {formatPercent(rate.value)}
            </div>
          </div>
          <div className="card kpi-wide">
            <h2>Order processing time</h2>
            <LineChart
              testId="chart-order-processing"
              labels={kpis.orderProcessing.series.map((p) => timeLabel(p.t, hours))}
              series={[
                { name: 'p50', color: '#2563eb', values: kpis.orderProcessing.series.map((p) => p.p50) },
                { name: 'p95', color: '#f59e0b', values: kpis.orderProcessing.series.map((p) => p.p95) },
              ]}
              formatValue={formatDuration}
            />
          </div>
          {rate.series.length > 0 && (
            <div className="card kpi-wide">
              <h2>Sync success rate</h2>
              <LineChart
                testId="chart-success-rate"
                labels={rate.series.map((p) => timeLabel(p.t, hours))}
                series={[{ name: 'success rate', color: '#16a34a', values: rate.series.map((p) => p.value) }]}
                formatValue={formatPercent}
                max={rate.series.some((p) => (p.value ?? 0) > 1) ? 100 : 1}
              />
            </div>
          )}
          <div className="card kpi-wide">
            <h2>Failures by code</h2>
            <BarChart testId="chart-failures" bars={[...kpis.failuresByCode].sort((a, b) => b.count - a.count).map((f) => ({ label: f.code, value: f.count, color: '#dc2626' }))} />
          </div>
          <div className="card kpi-wide">
            <h2>Connection health</h2>
            {kpis.connections.length === 0 ? (
              <div className="muted">No connections.</div>
            ) : (
              <table className="table" data-testid="kpi-connections">
                <thead>
                  <tr>
                    <th>Connection</th>
                    <th>Status</th>
                    <th>Error rate</th>
                    <th>Last error</th>
                  </tr>
                </thead>
                <tbody>
                  {kpis.connections.map((c) => (
                    <tr key={c.id}>
                      <td>{c.name}</td>
                      <td>
                        <StatusPill status={c.status} />
                      </td>
                      <td>
                        <div className="meter">
                          <span className="meter-fill" style={{ width: `${Math.min(100, (c.errorRate ?? 0) * (c.errorRate !== null && c.errorRate <= 1 ? 100 : 1))}%` }} />
                        </div>
                        {formatPercent(c.errorRate)}
                      </td>
                      <td className="error-cell">{c.lastError ? errorText(c.lastError) : <span className="muted">—</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
