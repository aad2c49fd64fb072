import type { ErrorRequestHandler, RequestHandler } from 'express';

/**
 * The server's one error type: a closed set of codes and one table from code to HTTP status.
 * Responses are `{ "error": { "code", "message", "details" } }`; no stack traces, no internals.
 */
export const HTTP_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  UNAUTHENTICATED: 401,
  SIGNATURE_INVALID: 401,
  SIGNATURE_MISSING: 401,
  SECRET_MISSING: 401,
  FORBIDDEN: 403,
  CSRF_INVALID: 403,
  SETUP_TOKEN_INVALID: 403,
  NOT_FOUND: 404,
  FLOW_NOT_FOUND: 404,
  RUN_NOT_FOUND: 404,
  VERSION_NOT_FOUND: 404,
  CONNECTION_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  CONFLICT: 409,
  FLOW_REV_CONFLICT: 409,
  FLOW_NOT_PUBLISHED: 409,
  LAST_ADMIN: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  REPLAY_INVALID: 422,
  FLOW_INVALID: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type HttpErrorCode = keyof typeof HTTP_STATUS;

export class HttpError extends Error {
  readonly code: HttpErrorCode;
  readonly details: unknown;
  readonly status: number;
  constructor(code: HttpErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'HttpError';
    this.code = code;
    this.details = details;
    this.status = HTTP_STATUS[code];
  }
}

export function errorBody(code: string, message: string, details?: unknown): { error: { code: string; message: string; details?: unknown } } {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
  encoding?: string;
  charset?: string;
  expose?: boolean;
  message?: string;
}

/**
 * What body-parser and the router raise for a request that is malformed before any handler sees it
 * (undecodable body, unknown encoding or charset, bad percent-encoding in the path): the client's
 * error, answered as such with what is wrong, never as a 500.
 */
function requestError(err: BodyParserError): { status: number; code: HttpErrorCode; message: string } | null {
  switch (err.type) {
    case 'entity.too.large':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: `request body is larger than the limit of ${err.limit ?? 'the'} bytes` };
    case 'entity.parse.failed':
      return { status: 400, code: 'INVALID_JSON', message: 'request body is not valid JSON' };
    case 'encoding.unsupported':
      return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: `content encoding "${err.encoding ?? '?'}" is not supported; send the body as identity, gzip, deflate or br` };
    case 'charset.unsupported':
      return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: `charset "${err.charset ?? '?'}" is not supported; send the body as UTF-8` };
    default:
      break;
  }
  if (err instanceof URIError) return { status: 400, code: 'BAD_REQUEST', message: 'the request path is not valid percent-encoding' };
  if (err.expose === true && typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
    // e.g. a body whose Content-Encoding says gzip but is not, or that ends early.
    return { status: err.status === 415 ? 415 : 400, code: err.status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST', message: `the request could not be read: ${err.message ?? 'malformed request'}` };
  }
  return null;
}

/** Maps known error shapes to responses; anything else is a 500 with a generic message (and a log line). */
export function errorMiddleware(log: { error(obj: object, msg: string): void }): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof HttpError) {
      res.status(err.status).json(errorBody(err.code, err.message, err.details));
      return;
    }
    const malformed = err !== null && typeof err === 'object' ? requestError(err as BodyParserError) : null;
    if (malformed) {
      res.status(malformed.status).json(errorBody(malformed.code, malformed.message));
      return;
    }
    const coded = err as { code?: unknown; message?: unknown; details?: unknown; kind?: unknown };
    if (coded && typeof coded.code === 'string' && coded.code in HTTP_STATUS) {
      res.status(HTTP_STATUS[coded.code as HttpErrorCode]).json(errorBody(coded.code, String(coded.message), coded.details));
      return;
    }
    if (coded && typeof coded.code === 'string' && coded.kind === 'user') {
      res.status(coded.code === 'STORE_NOT_FOUND' ? 404 : coded.code === 'STORE_CONFLICT' ? 409 : 400).json(errorBody(coded.code, String(coded.message), coded.details));
      return;
    }
    log.error({ err, path: req.path }, 'unhandled error');
    res.status(500).json(errorBody('INTERNAL', 'internal error'));
  };
}

export const notFoundJson: RequestHandler = (req, res) => {
  res.status(404).json(errorBody('NOT_FOUND', `no route for ${req.method} ${req.path}`));
};
