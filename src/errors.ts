/**
 * One error hierarchy for the whole server. Every error that may reach a client has a stable
 * `code` and an HTTP status; `src/api/error-handler.ts` is the one place that maps them to
 * responses. Anything that is not a HookrelayError is a bug: logged, answered as a bare 500.
 * Every code is listed in docs/errors.md (a test keeps the two in step).
 */
export class HookrelayError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fields: Record<string, unknown>;

  constructor(
    code: string,
    status: number,
    detail: string,
    options: { cause?: unknown; fields?: Record<string, unknown> } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.fields = options.fields ?? {};
  }
}

/** 400 — the request cannot be understood (malformed JSON, bad iterator, bad header). */
export class BadRequestError extends HookrelayError {
  constructor(detail: string, code = 'bad_request', options?: { cause?: unknown }) {
    super(code, 400, detail, options);
  }
}

/** 401 — no token, or a token we do not know. */
export class UnauthorizedError extends HookrelayError {
  constructor(detail = 'Invalid or missing authentication token.', code = 'authentication_failed') {
    super(code, 401, detail);
  }
}

/** 403 — a valid token that may not touch this resource (an app token on another app). */
export class ForbiddenError extends HookrelayError {
  constructor(detail = 'This token is not allowed to access this resource.', code = 'insufficient_access') {
    super(code, 403, detail);
  }
}

/** 404 — the resource does not exist (or is not visible to this token). */
export class NotFoundError extends HookrelayError {
  constructor(resource: string, id?: string) {
    super('not_found', 404, id === undefined ? `${resource} not found.` : `${resource} '${id}' not found.`, {
      fields: { resource, id },
    });
  }
}

/** 409 — a uid, name or eventId that is already taken. */
export class ConflictError extends HookrelayError {
  constructor(detail: string, code = 'conflict', options?: { cause?: unknown }) {
    super(code, 409, detail, options);
  }
}

/** 413 — a body over the configured limit. */
export class PayloadTooLargeError extends HookrelayError {
  constructor(limitBytes: number) {
    super('payload_too_large', 413, `Request body is larger than the limit of ${limitBytes} bytes.`, {
      fields: { limitBytes },
    });
  }
}

/** 415 — a body that is not JSON. */
export class UnsupportedMediaTypeError extends HookrelayError {
  constructor(contentType: string) {
    super('unsupported_media_type', 415, `Content-Type '${contentType}' is not supported; send application/json.`);
  }
}

/** One failed check on a request field, in Svix's 422 shape. */
export interface ValidationIssue {
  loc: Array<string | number>;
  msg: string;
  type: string;
}

/** 422 — a well-formed request whose values are not acceptable. Answered as `{detail: [{loc, msg, type}]}`. */
export class ValidationError extends HookrelayError {
  readonly issues: ValidationIssue[];
  constructor(issues: ValidationIssue[]) {
    super('validation_error', 422, issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; '));
    this.issues = issues;
  }

  static single(loc: Array<string | number>, msg: string, type = 'value_error'): ValidationError {
    return new ValidationError([{ loc, msg, type }]);
  }
}

/** 429 — too many requests for this token or application; `retryAfterSeconds` is answered as `Retry-After`. */
export class RateLimitedError extends HookrelayError {
  readonly retryAfterSeconds: number | null;
  constructor(detail = 'Too many requests.', retryAfterSeconds: number | null = null) {
    super('rate_limited', 429, detail, { fields: retryAfterSeconds === null ? {} : { retryAfterSeconds } });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** 503 — the store is unreachable or read-only; the request wrote nothing. Retry later. */
export class StoreUnavailableError extends HookrelayError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super('store_unavailable', 503, detail, options);
  }
}

/** A configuration value that cannot be used; thrown at start, never answered over HTTP. */
export class ConfigError extends HookrelayError {
  constructor(detail: string) {
    super('config_invalid', 500, detail);
  }
}

/** Normalise anything caught into an Error, once (as graphile-worker's coerceError). */
export function coerceError(err: unknown): Error {
  if (err instanceof Error) return err;
  return new Error(typeof err === 'string' ? err : JSON.stringify(err));
}
