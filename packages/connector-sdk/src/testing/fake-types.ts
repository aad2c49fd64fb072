/** What a fake vendor server offers the contract suite; `startFakeServer` (./fake-server) builds one on node:http. */

export interface FailOptions {
  /** Retry-After header value: seconds, or an HTTP date. */
  retryAfter?: number | string;
  json?: unknown;
  headers?: Record<string, string>;
  /** How many of the next requests fail; default 1. */
  times?: number;
}

/** What `connectorContract` needs from a vendor's fake server. */
export interface FakeServer {
  url: string;
  close(): Promise<void>;
  /** Every request seen, in order. */
  requests(): Array<{ method: string; path: string }>;
  /** The next request(s) get this status instead of the route's answer. */
  failNext(status: number, opts?: FailOptions): void;
  /** Requests no route matched (answered 404); a contract failure when not empty. */
  unmatched?(): Array<{ method: string; path: string }>;
}
