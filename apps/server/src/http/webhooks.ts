import express, { type Request, type Response, type Router } from 'express';
import { parseProps, verifyTriggerRequest, type JsonValue, type TriggerEvent, type WebhookRequest } from '@tributary/connector-sdk';
import type { ConnectorRegistry } from '@tributary/connector-sdk';
import type { Metrics } from '../metrics.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { errorBody } from './errors.ts';

export interface WebhookOptions {
  runtime: Runtime;
  registry: ConnectorRegistry;
  metrics: Metrics;
  /** Largest accepted body; larger requests get 413 and nothing is stored. */
  bodyLimitBytes?: number;
  /** How long a synchronous webhook waits for its flow before answering 202. */
  syncTimeoutMs?: number;
}

/**
 * `POST /hooks/:flowId`, stable across versions. Verify before parse, parse before store, store
 * (durably, deduplicated by delivery id) before acknowledging. A rejected request leaves no trace.
 */
export function webhookRouter(opts: WebhookOptions): Router {
  const router = express.Router();
  const limit = opts.bodyLimitBytes ?? 1024 * 1024;
  const reject = (res: Response, status: number, code: string, message: string): void => {
    opts.metrics.eventsRejected.inc({ reason: code });
    res.status(status).json(errorBody(code, message));
  };

  router.post('/hooks/:flowId', express.raw({ type: () => true, limit }), async (req: Request<{ flowId: string }>, res: Response) => {
    const active = await opts.runtime.flows.active(req.params.flowId);
    if (!active) return reject(res, 404, 'FLOW_NOT_FOUND', `no enabled flow "${req.params.flowId}" takes webhooks here`);
    const impl = opts.registry.get(active.triggerNode.type);
    if (!impl || impl.kind !== 'trigger' || impl.trigger.source !== 'webhook') {
      return reject(res, 404, 'FLOW_NOT_FOUND', `flow "${active.flowId}" is not triggered by a webhook`);
    }
    const props = parseProps(impl.trigger.props, active.triggerNode.config);
    if (!props.ok) return reject(res, 500, 'FLOW_INVALID', 'the flow trigger is misconfigured; see the flow validation');
    const rawBody: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;

    const connRef = Object.entries(impl.spec.props).find(([, p]) => p.type === 'connection')?.[0];
    const ref = connRef ? active.triggerNode.config[connRef] : undefined;
    const connection = typeof ref === 'string' && ref ? await opts.runtime.resolveConnection(ref) : null;
    const unparsed: WebhookRequest = { headers, rawBody, body: null };
    const verdict = verifyTriggerRequest(impl.trigger, unparsed, { props: props.value, connection });
    if (!verdict.ok) return reject(res, 401, verdict.reason, verdict.message);

    let body: JsonValue;
    try {
      body = rawBody.length === 0 ? null : (JSON.parse(rawBody.toString('utf8')) as JsonValue);
    } catch (err) {
      return reject(res, 400, 'INVALID_JSON', `request body is not valid JSON: ${(err as Error).message}`);
    }
    let event: TriggerEvent;
    try {
      event = impl.trigger.parse ? impl.trigger.parse({ headers, rawBody, body }, props.value) : { payload: body };
    } catch (err) {
      const e = err as { code?: string; message?: string };
      if (e.code === 'STALE_EVENT') {
        // A retry older than the trigger accepts: answer 200 so the sender stops retrying, store nothing.
        opts.metrics.eventsRejected.inc({ reason: 'STALE_EVENT' });
        res.status(200).json({ ignored: true, reason: 'STALE_EVENT', message: e.message });
        return;
      }
      return reject(res, 400, e.code ?? 'BAD_REQUEST', e.message ?? 'the request does not fit this trigger');
    }

    const { runId, created } = await opts.runtime.accept({ flow: active, payload: event.payload, triggerKind: 'webhook', dedupeKey: event.deliveryId });
    if (!created) {
      res.status(200).json({ runId, duplicate: true });
      return;
    }
    if (active.triggerNode.config['responseMode'] === 'sync') {
      const timeout = typeof active.triggerNode.config['syncTimeoutMs'] === 'number' ? active.triggerNode.config['syncTimeoutMs'] : (opts.syncTimeoutMs ?? 10_000);
      const done = await opts.runtime.waitForRun(runId, timeout);
      if (done && done.response !== undefined) {
        const r = done.response as { status?: unknown; headers?: unknown; body?: unknown } | null;
        const status = typeof r?.status === 'number' ? r.status : 200;
        if (r?.headers && typeof r.headers === 'object') for (const [k, v] of Object.entries(r.headers)) if (typeof v === 'string') res.setHeader(k, v);
        res.status(status).json(r && 'body' in r ? r.body : r);
        return;
      }
      if (done) {
        res.status(200).json({ runId, status: done.run.status });
        return;
      }
    }
    res.status(202).json({ runId });
  });
  return router;
}
