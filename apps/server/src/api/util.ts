import { isStoreError, type Flow, type StoreErrorCode } from '@tributary/store';
import { HttpError } from '../http/errors.ts';
import type { Api } from './deps.ts';

export function isStoreCode(err: unknown, code: StoreErrorCode): boolean {
  return isStoreError(err) && err.code === code;
}

export async function flowOr404(api: Api, id: string): Promise<Flow> {
  const flow = await api.store.getFlow(id);
  if (!flow) throw new HttpError('FLOW_NOT_FOUND', `no flow "${id}"`);
  return flow;
}

/**
 * After publish, enable, disable, delete or rollback: every process drops its cached view of the flow
 * and the queue's schedules follow. The change itself is already stored; a failure here is logged
 * (the next start reconciles schedules) rather than reported as if the change had not happened.
 */
export async function flowChanged(api: Api, flowId: string): Promise<void> {
  try {
    await api.events.publish(flowId);
    await api.runtime.syncSchedules(flowId);
  } catch (err) {
    api.log.error({ err, flowId }, 'flow changed but its schedules or caches could not be updated; they are reconciled on the next start');
  }
}

/** After a connection is created, changed or deleted: every process drops its decrypted copy at once. */
export async function connectionsChanged(api: Api): Promise<void> {
  try {
    await api.runtime.connectionsChanged();
  } catch (err) {
    api.log.error({ err }, 'connection changed but other processes could not be told; their cached copy expires within seconds');
  }
}

/** Runs `fn` on each id and reports per id, so one bad id does not stop a bulk action. */
export async function eachRun<T>(ids: readonly string[], fn: (id: string) => Promise<T>): Promise<Array<{ runId: string; ok: true; value: T } | { runId: string; ok: false; error: { code: string; message: string } }>> {
  const out: Array<{ runId: string; ok: true; value: T } | { runId: string; ok: false; error: { code: string; message: string } }> = [];
  for (const runId of [...new Set(ids)]) {
    try {
      out.push({ runId, ok: true, value: await fn(runId) });
    } catch (err) {
      const e = err as { code?: unknown; message?: unknown; kind?: unknown };
      if (typeof e.code !== 'string' || (e.kind !== 'user' && !(err instanceof HttpError))) throw err;
      out.push({ runId, ok: false, error: { code: e.code, message: String(e.message) } });
    }
  }
  return out;
}
