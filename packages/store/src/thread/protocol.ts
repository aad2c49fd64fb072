// Messages between a Store proxy (./proxy.ts) and the store running on a worker thread (./worker.ts).
// Arguments and results travel by structured clone: the Store's inputs and outputs are JSON values,
// Dates and plain objects, and no Store method takes a function.

import type { StoreErrorCode, StoreErrorDetails, StoreErrorKind } from '../errors.ts';

export interface CallRequest {
  id: number;
  method: string;
  args: unknown[];
}

/** A StoreError as it crosses the thread boundary. */
export interface WireError {
  code: StoreErrorCode;
  kind: StoreErrorKind;
  retryable: boolean;
  message: string;
  details: StoreErrorDetails;
}

export type CallReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

/** The first message of the worker: the store's method names, or why it could not open. */
export type ReadyMessage = { ready: true; methods: string[] } | { ready: false; error: WireError };
