import { networkError, timeoutError } from './classify.ts';
import { linkSignals } from './signals.ts';

export interface RawResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the response says it is JSON, else the text; `null` when empty. */
  body: unknown;
  /** True when the response claimed JSON but did not parse. */
  invalidJson: boolean;
  url: string;
}

/**
 * One fetch with a deadline covering headers and body. The caller's signal wins over the timeout:
 * an aborted step rethrows the caller's reason; only our own deadline becomes a TIMEOUT error.
 */
export async function send(opts: {
  fetch: typeof fetch;
  url: string;
  method: string;
  headers: Headers;
  body?: string | Uint8Array | URLSearchParams;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Default `follow`; the HTTP client follows redirects itself when credentials are involved. */
  redirect?: NonNullable<RequestInit['redirect']>;
}): Promise<RawResponse> {
  const link = linkSignals([opts.signal], { ms: opts.timeoutMs, reason: () => new DOMException('The operation timed out', 'TimeoutError') });
  try {
    const init: RequestInit = { method: opts.method, headers: opts.headers, signal: link.signal, redirect: opts.redirect ?? 'follow' };
    // A copy gives fetch an ArrayBuffer-backed view whatever the caller passed (e.g. a Buffer slice).
    if (opts.body !== undefined) init.body = opts.body instanceof Uint8Array ? new Uint8Array(opts.body) : opts.body;
    const res = await opts.fetch(opts.url, init);
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    let body: unknown = text === '' ? null : text;
    let invalidJson = false;
    if (text !== '' && /[/+]json\b/i.test(type)) {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        invalidJson = true;
      }
    }
    return { status: res.status, headers: res.headers, body, invalidJson, url: res.url || opts.url };
  } catch (err) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (link.timedOut) throw timeoutError({ method: opts.method, url: opts.url, timeoutMs: opts.timeoutMs });
    throw networkError(err, { method: opts.method, url: opts.url });
  } finally {
    link.dispose();
  }
}
