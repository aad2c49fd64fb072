import { z } from 'zod';
import { catalogGet, type FlowDocument } from '@tributary/flow';
import type { Connection, Run, RunDuration } from '@tributary/store';
import type { Api } from './deps.ts';
import { validationError, type ApiRoutes } from './route.ts';
import { dateQuery, isoDate } from './schemas.ts';

const SERIES_BUCKETS = 24;
const MAX_FAILED_RUNS = 2000;
const MAX_HEALTH_RUNS_PER_FLOW = 50;

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function orderProcessing(durations: RunDuration[], since: Date, until: Date) {
  const all = durations.map((d) => d.durationMs).sort((a, b) => a - b);
  const width = Math.max(1, (until.getTime() - since.getTime()) / SERIES_BUCKETS);
  const buckets: number[][] = Array.from({ length: SERIES_BUCKETS }, () => []);
  for (const d of durations) {
    const i = Math.floor((d.finishedAt.getTime() - since.getTime()) / width);
    if (i >= 0 && i < SERIES_BUCKETS) buckets[i]!.push(d.durationMs);
  }
  return {
    count: all.length,
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    series: buckets.map((b, i) => {
      const s = b.sort((x, y) => x - y);
      return { t: new Date(since.getTime() + i * width).toISOString(), count: s.length, p50: percentile(s, 50), p95: percentile(s, 95) };
    }),
  };
}

/** Which nodes of which flow use each connection (by name or id in a `connection` prop). */
function connectionUsage(api: Api, flows: Array<{ flowId: string; doc: FlowDocument }>, connections: Connection[]): Map<string, Map<string, Set<string>>> {
  const byRef = new Map<string, string>();
  for (const c of connections) {
    byRef.set(c.name, c.id);
    byRef.set(c.id, c.id);
  }
  const usage = new Map<string, Map<string, Set<string>>>();
  for (const { flowId, doc } of flows) {
    for (const node of doc.nodes) {
      const spec = catalogGet(api.catalog, node.type);
      if (!spec) continue;
      for (const [key, prop] of Object.entries(spec.props)) {
        const ref = node.config[key];
        const connId = prop.type === 'connection' && typeof ref === 'string' ? byRef.get(ref) : undefined;
        if (!connId) continue;
        const perFlow = usage.get(connId) ?? new Map<string, Set<string>>();
        const nodes = perFlow.get(flowId) ?? new Set<string>();
        nodes.add(node.id);
        perFlow.set(flowId, nodes);
        usage.set(connId, perFlow);
      }
    }
  }
  return usage;
}

const kpisOut = z.object({
  since: isoDate,
  until: isoDate,
  orderProcessing: z.object({
    flows: z.array(z.string()).describe('high-priority flows whose runs count as orders'),
    count: z.number().int(),
    p50: z.number().nullable().describe('ms from event accepted to run finished'),
    p95: z.number().nullable(),
    series: z.array(z.object({ t: isoDate, count: z.number().int(), p50: z.number().nullable(), p95: z.number().nullable() })),
  }),
  syncSuccessRate: z.number().nullable().describe('succeeded / (succeeded + failed + resolved) of production runs'),
  runs: z.record(z.string(), z.number().int()),
  failuresByCode: z.array(z.object({ code: z.string(), count: z.number().int() })),
  connections: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      connector: z.string(),
      status: z.enum(['healthy', 'degraded', 'failing', 'unused']),
      steps: z.number().int(),
      errorRate: z.number().nullable(),
      lastError: z.object({ code: z.string(), message: z.string(), at: isoDate.nullable(), flowId: z.string(), nodeId: z.string() }).nullable(),
    }),
  ),
});

/** The wholesale KPIs (DESIGN §7), computed from the store over a time window. */
export function kpiRoutes(r: ApiRoutes, api: Api): void {
  const { store } = api;
  r.route(
    {
      method: 'get',
      path: '/kpis',
      auth: 'viewer',
      summary: 'Order processing time, sync success rate, failures by error code and per-connection health since a time (default: 24 hours ago)',
      query: z.object({ since: dateQuery.optional(), until: dateQuery.optional() }),
      response: kpisOut,
    },
    async ({ query }) => {
      const until = query.until ?? new Date();
      const since = query.since ?? new Date(until.getTime() - 24 * 60 * 60 * 1000);
      if (query.since && query.until && since.getTime() >= until.getTime()) {
        throw validationError([{ path: 'query.since', message: `must be before until (${until.toISOString()})` }]);
      }
      const flows = await store.listFlows();
      const published: Array<{ flowId: string; doc: FlowDocument }> = [];
      for (const f of flows) {
        if (f.currentVersion === null) continue;
        const doc = await api.runtime.flows.version(f.id, f.currentVersion).catch(() => null);
        if (doc) published.push({ flowId: f.id, doc });
      }
      const orderFlows = published.filter((p) => p.doc.settings.priority === 'high').map((p) => p.flowId);
      const durations: RunDuration[] = [];
      for (const flowId of orderFlows) {
        for (const d of await store.runDurations({ flowId, since, status: ['succeeded'], test: false, limit: 5000 })) if (d.finishedAt <= until) durations.push(d);
      }

      const counts = await store.countRunsByStatus({ since, test: false });
      const finished = counts.succeeded + counts.failed + counts.resolved;
      const syncSuccessRate = finished === 0 ? null : counts.succeeded / finished;

      const byCode = new Map<string, number>();
      let cursor: string | null = null;
      let seen = 0;
      do {
        const p = await store.listRuns({ status: ['failed', 'resolved'], test: false, from: since, to: until, limit: 500, cursor });
        for (const run of p.items) {
          const code = run.error?.code ?? 'UNKNOWN';
          byCode.set(code, (byCode.get(code) ?? 0) + 1);
        }
        seen += p.items.length;
        cursor = p.nextCursor;
      } while (cursor && seen < MAX_FAILED_RUNS);

      const connections = await store.listConnections();
      const usage = connectionUsage(api, published, connections);
      const recentRuns = new Map<string, Run[]>();
      const stepsOf = new Map<string, Awaited<ReturnType<typeof store.listSteps>>>();
      const health = [];
      for (const c of connections) {
        let total = 0;
        let failed = 0;
        let lastError: { code: string; message: string; at: Date | null; flowId: string; nodeId: string } | null = null;
        for (const [flowId, nodeIds] of usage.get(c.id) ?? []) {
          let runs = recentRuns.get(flowId);
          if (!runs) {
            runs = (await store.listRuns({ flowId, test: false, from: since, to: until, limit: MAX_HEALTH_RUNS_PER_FLOW })).items;
            recentRuns.set(flowId, runs);
          }
          for (const run of runs) {
            let steps = stepsOf.get(run.id);
            if (!steps) {
              steps = await store.listSteps(run.id);
              stepsOf.set(run.id, steps);
            }
            for (const s of steps) {
              if (!nodeIds.has(s.nodeId)) continue;
              total++;
              if (s.status === 'failed' && s.error) {
                failed++;
                if (!lastError || (s.finishedAt && lastError.at && s.finishedAt > lastError.at)) lastError = { code: s.error.code, message: s.error.message, at: s.finishedAt, flowId, nodeId: s.nodeId };
              }
            }
          }
        }
        const errorRate = total === 0 ? null : failed / total;
        const status = errorRate === null ? 'unused' : errorRate === 0 ? 'healthy' : errorRate < 0.2 ? 'degraded' : 'failing';
        health.push({ id: c.id, name: c.name, connector: c.connector, status, steps: total, errorRate, lastError });
      }

      return {
        since,
        until,
        orderProcessing: { flows: orderFlows, ...orderProcessing(durations, since, until) },
        syncSuccessRate,
        runs: counts,
        failuresByCode: [...byCode].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
        connections: health,
      };
    },
  );
}
