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

    if (rawBody.length === 0) return reject(res, 400, 'INVALID_JSON', 'request body is empty; a webhook must carry a JSON document');
    let body: JsonValue;
    try {
      body = JSON.parse(rawBody.toString('utf8')) as JsonValue;
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
        sendResponse(res, done.response);
        return;
      }
      if (done) {
        // No respond step answered: say how the run ended, and let a caller tell failure from success.
        // A cancellation's message names the user who cancelled: the caller gets its code only.
        const cancelled = done.run.status === 'cancelled';
        const failed = done.run.status === 'failed' || cancelled;
        const cause = done.run.error ? `: ${done.run.error.code}${cancelled ? '' : `: ${done.run.error.message}`}` : '';
        res.status(failed ? 500 : 200).json(failed ? { ...errorBody('RUN_FAILED', `the flow's run ${cancelled ? 'was cancelled' : 'failed'}${cause}`), runId, status: done.run.status } : { runId, status: done.run.status });
        return;
      }
    }
    res.status(202).json({ runId });
  });
  return router;
}

/**
 * Headers a flow's respond step may not set: this origin's cookies (a flow must not be able to sign
 * anyone in or out of Tributary), message framing, and the security headers the server sets itself.
 */
const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'set-cookie', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer', 'te', 'date',
  'content-security-policy', 'x-content-type-options', 'strict-transport-security', 'x-frame-options',
  'access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-headers', 'access-control-allow-methods',
]);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Sends what a respond step produced (`{ status, headers, body }`). The page it makes is sandboxed: a
 * flow may answer with HTML, but it runs no script with this origin's rights.
 */
function sendResponse(res: Response, response: JsonValue): void {
  const r = response !== null && typeof response === 'object' && !Array.isArray(response) ? response : { body: response };
  const status = typeof r['status'] === 'number' && Number.isInteger(r['status']) && r['status'] >= 200 && r['status'] <= 599 ? r['status'] : null;
  if (status === null) {
    res.status(500).json(errorBody('RESPONSE_INVALID', `the flow's respond step set status ${JSON.stringify(r['status'])}; a webhook response needs 200–599`));
    return;
  }
  const headers = r['headers'];
  if (headers !== null && typeof headers === 'object' && !Array.isArray(headers)) {
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value !== 'string' || !HEADER_NAME.test(name) || !HEADER_VALUE.test(value) || RESERVED_HEADERS.has(name.toLowerCase())) continue;
      res.setHeader(name, value);
    }
  }
  res.setHeader('content-security-policy', "sandbox; default-src 'none'");
  res.setHeader('x-content-type-options', 'nosniff');
  const body = 'body' in r ? r['body'] : response;
  res.status(status);
  if (typeof body === 'string' && res.getHeader('content-type') !== undefined && !/json/i.test(String(res.getHeader('content-type')))) res.send(body);
  else res.json(body ?? null);
}
