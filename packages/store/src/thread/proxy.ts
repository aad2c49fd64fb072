import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { lockDirectory } from '../drivers/dir-lock.ts';
import { MEMORY } from '../drivers/pglite.ts';
import { StoreError } from '../errors.ts';
import type { OpenStoreOptions } from '../open.ts';
import type { Store } from '../store.ts';
import type { CallReply, ReadyMessage, WireError } from './protocol.ts';

function fromWire(error: WireError): StoreError {
  return new StoreError({ code: error.code, kind: error.kind, retryable: error.retryable, message: error.message, details: error.details });
}

/**
 * The embedded store on a worker thread of its own (./worker.ts), behind a Store whose every method
 * is one message there and one back. PGlite runs PostgreSQL synchronously in WebAssembly — on the
 * main thread, every commit would stop webhooks and runs for its duration.
 *
 * The data directory's lock is taken here, on the caller's thread, so a second open in this process
 * is refused as before. The worker is referenced only while a call is out: an idle store keeps no
 * process alive, as an in-thread PGlite would not.
 */
export async function openStoreOnWorker(options: OpenStoreOptions): Promise<Store> {
  const dataDir = options.dataDir ?? '.tributary';
  let unlock = async (): Promise<void> => undefined;
  if (dataDir !== MEMORY) {
    try {
      await mkdir(join(resolve(dataDir), 'pglite'), { recursive: true });
    } catch (error) {
      throw new StoreError({ code: 'STORE_UNAVAILABLE', retryable: false, message: `cannot open PGlite at ${resolve(dataDir)}: ${error instanceof Error ? error.message : String(error)}`, details: { location: resolve(dataDir) }, cause: error });
    }
    unlock = await lockDirectory(join(resolve(dataDir), 'pglite.lock'));
  }
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { workerData: { options: { ...options, pgliteThread: 'main' } } });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  let gone: StoreError | undefined;
  let next = 1;

  const ready = await new Promise<ReadyMessage>((resolveReady, rejectReady) => {
    worker.once('message', resolveReady);
    worker.once('error', rejectReady);
  }).catch(async (error: unknown) => {
    await unlock();
    throw new StoreError({ code: 'STORE_UNAVAILABLE', retryable: false, message: `the store thread failed to start: ${error instanceof Error ? error.message : String(error)}`, cause: error });
  });
  if (!ready.ready) {
    await worker.terminate();
    await unlock();
    throw fromWire(ready.error);
  }

  const fail = (error: StoreError): void => {
    gone ??= error;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  worker.on('message', (reply: CallReply) => {
    const waiter = pending.get(reply.id);
    if (waiter === undefined) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(fromWire(reply.error));
  });
  worker.on('error', (error) => fail(new StoreError({ code: 'STORE_UNAVAILABLE', retryable: false, message: `the store thread failed: ${error.message}`, cause: error })));
  worker.on('exit', (code) => fail(new StoreError({ code: 'STORE_CLOSED', message: `the store is closed (its thread exited with code ${code})` })));
  worker.unref();

  const call = (method: string, args: unknown[]): Promise<unknown> => {
    if (gone !== undefined) return Promise.reject(gone);
    const id = next++;
    return new Promise((resolveCall, rejectCall) => {
      if (pending.size === 0) worker.ref();
      pending.set(id, { resolve: resolveCall, reject: rejectCall });
      worker.postMessage({ id, method, args });
    });
  };

  let closing: Promise<void> | undefined;
  const store: Record<string, unknown> = {};
  for (const method of ready.methods) store[method] = (...args: unknown[]) => call(method, args);
  store['close'] = (): Promise<void> =>
    (closing ??= (async () => {
      try {
        await call('close', []);
      } finally {
        gone ??= new StoreError({ code: 'STORE_CLOSED', message: 'the store is closed' });
        await worker.terminate();
        await unlock();
      }
    })());
  return store as unknown as Store;
}
