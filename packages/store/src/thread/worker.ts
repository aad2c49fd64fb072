// Runs INSIDE a worker thread: opens the store there (PGlite on this thread) and serves the calls of
// ./proxy.ts, one message per Store call. A PGlite transaction then runs start to finish on this thread,
// without a hand-off per statement, and PostgreSQL's work in WebAssembly leaves the event loop that
// accepts webhooks and runs flows.

import { parentPort, workerData } from 'node:worker_threads';
import { toStoreError } from '../errors.ts';
import { openStoreHere, type OpenStoreOptions } from '../open.ts';
import type { Store } from '../store.ts';
import type { CallReply, CallRequest, ReadyMessage, WireError } from './protocol.ts';

const port = parentPort;
if (port === null) throw new Error('thread/worker.ts runs as a worker thread only');
const { options } = workerData as { options: OpenStoreOptions };

function wire(error: unknown): WireError {
  const e = toStoreError(error);
  return { code: e.code, kind: e.kind, retryable: e.retryable, message: e.message, details: e.details };
}

let store: Store;
try {
  // The caller holds the data directory's lock (see proxy.ts).
  store = await openStoreHere(options, { lockHeld: true });
} catch (error) {
  port.postMessage({ ready: false, error: wire(error) } satisfies ReadyMessage);
  process.exit(0);
}
const methods = new Map<string, (...args: unknown[]) => Promise<unknown>>();
for (const [name, value] of Object.entries(store)) if (typeof value === 'function') methods.set(name, value as (...args: unknown[]) => Promise<unknown>);
port.postMessage({ ready: true, methods: [...methods.keys()] } satisfies ReadyMessage);

port.on('message', (request: CallRequest) => {
  void call(request).then((reply) => port.postMessage(reply));
});

async function call(request: CallRequest): Promise<CallReply> {
  const method = methods.get(request.method);
  try {
    if (method === undefined) throw new Error(`the store has no method ${request.method}`);
    return { id: request.id, ok: true, value: await method(...request.args) };
  } catch (error) {
    return { id: request.id, ok: false, error: wire(error) };
  }
}
