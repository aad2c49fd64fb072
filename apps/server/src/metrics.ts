import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics (DESIGN §7). One registry per process so tests can run several servers side by side. */
export interface Metrics {
  registry: Registry;
  eventsAccepted: Counter<'flow'>;
  eventsRejected: Counter<'reason'>;
  eventsDuplicate: Counter<'flow'>;
  runsFinished: Counter<'flow' | 'status'>;
  stepDuration: Histogram<'node_type' | 'status'>;
  retries: Counter<'node_type'>;
  pollFailures: Counter<'flow' | 'code'>;
  rateLimitWaits: Counter<'connection'>;
  rateLimitWaitSeconds: Counter<'connection'>;
  queueDepth: Gauge<'state'>;
}

export function createMetrics(opts: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaults !== false) collectDefaultMetrics({ register: registry, prefix: 'tributary_process_' });
  const r = [registry];
  return {
    registry,
    eventsAccepted: new Counter({ name: 'tributary_events_accepted_total', help: 'Trigger events made durable and queued', labelNames: ['flow'], registers: r }),
    eventsRejected: new Counter({ name: 'tributary_events_rejected_total', help: 'Webhook requests refused (bad signature, unknown flow, too large…)', labelNames: ['reason'], registers: r }),
    eventsDuplicate: new Counter({ name: 'tributary_events_duplicate_total', help: 'Webhook deliveries dropped as duplicates', labelNames: ['flow'], registers: r }),
    runsFinished: new Counter({ name: 'tributary_runs_total', help: 'Runs finished, by status', labelNames: ['flow', 'status'], registers: r }),
    stepDuration: new Histogram({
      name: 'tributary_step_duration_seconds',
      help: 'Step duration',
      labelNames: ['node_type', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: r,
    }),
    retries: new Counter({ name: 'tributary_step_retries_total', help: 'Step attempts that failed and were retried', labelNames: ['node_type'], registers: r }),
    pollFailures: new Counter({ name: 'tributary_poll_failures_total', help: 'Polls of a poll trigger that failed (the watermark stays; the run history shows them)', labelNames: ['flow', 'code'], registers: r }),
    rateLimitWaits: new Counter({ name: 'tributary_rate_limit_waits_total', help: 'Requests that waited for a connection rate-limit slot', labelNames: ['connection'], registers: r }),
    rateLimitWaitSeconds: new Counter({ name: 'tributary_rate_limit_wait_seconds_total', help: 'Time spent waiting for rate-limit slots', labelNames: ['connection'], registers: r }),
    queueDepth: new Gauge({ name: 'tributary_queue_depth', help: 'Jobs in the queue by state', labelNames: ['state'], registers: r }),
  };
}
