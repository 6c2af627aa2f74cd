import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  BadRequestError,
  HookrelayError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnsupportedMediaTypeError,
  ValidationError,
  type ValidationIssue,
} from '../errors.js';

/**
 * The one place that turns errors into responses. HookrelayErrors answer with their own status
 * and `{code, detail}` (validation: `{detail: [{loc, msg, type}]}`, Svix's 422 shape). Fastify's
 * own request errors (body parsing, schema validation) are translated into HookrelayErrors
 * first. Anything else is a bug: logged with its stack, answered as a bare 500 that says nothing
 * about the internals.
 */

interface AjvIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

const PART: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

/** ajv errors → Svix/pydantic-style issues: loc ['body', 'url'], type 'value_error.missing'. */
export function validationIssues(part: string, errors: AjvIssue[]): ValidationIssue[] {
  return errors.map((e) => {
    const loc: Array<string | number> = [PART[part] ?? part];
    for (const seg of e.instancePath.split('/').slice(1)) {
      const s = seg.replace(/~1/g, '/').replace(/~0/g, '~');
      loc.push(/^\d+$/.test(s) ? Number(s) : s);
    }
    if (e.keyword === 'required') {
      loc.push(String(e.params.missingProperty));
      return { loc, msg: 'field required', type: 'value_error.missing' };
    }
    if (e.keyword === 'type')
      return { loc, msg: e.message ?? 'wrong type', type: `type_error.${String(e.params.type).split(',')[0]}` };
    if (e.keyword === 'additionalProperties') {
      loc.push(String(e.params.additionalProperty));
      return { loc, msg: 'extra fields not permitted', type: 'value_error.extra' };
    }
    if (e.keyword === 'anyOf') return { loc, msg: 'value is not one of the allowed types', type: 'type_error' };
    return { loc, msg: e.message ?? 'invalid value', type: `value_error.${e.keyword}` };
  });
}

/**
 * Translate framework errors into our hierarchy; returns null for errors that are bugs.
 * `contentType` is the request's header: Fastify's 415 error does not carry it.
 */
export function toHookrelayError(err: unknown, bodyLimit?: number, contentType?: string): HookrelayError | null {
  if (err instanceof HookrelayError) return err;
  const fe = err as Partial<FastifyError> & { validation?: AjvIssue[]; validationContext?: string; bodyLimit?: number };
  if (fe && Array.isArray(fe.validation))
    return new ValidationError(validationIssues(fe.validationContext ?? 'body', fe.validation));
  switch (fe?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      // Fastify's error does not carry the limit; the route's limit comes from the request.
      return new PayloadTooLargeError(fe.bodyLimit ?? bodyLimit ?? 0);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaTypeError(contentType || '(none)');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new BadRequestError('The body is empty but Content-Type is application/json.', 'invalid_json');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new BadRequestError('The body is not valid JSON.', 'invalid_json');
  }
  if (err instanceof SyntaxError && (fe as { statusCode?: number }).statusCode === 400) {
    return new BadRequestError(`The body is not valid JSON: ${err.message}`, 'invalid_json');
  }
  // Other client errors raised by Fastify itself (bad content-length, malformed URL, ...).
  if (
    typeof fe?.statusCode === 'number' &&
    fe.statusCode >= 400 &&
    fe.statusCode < 500 &&
    typeof fe.code === 'string' &&
    fe.code.startsWith('FST_')
  ) {
    if (fe.statusCode === 404) return new NotFoundError('Route');
    return new BadRequestError(fe.message ?? 'Bad request.');
  }
  return null;
}

export function errorBody(err: HookrelayError): object {
  if (err instanceof ValidationError) return { detail: err.issues };
  return { code: err.code, detail: err.message };
}

export function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const known = toHookrelayError(err, request.routeOptions?.bodyLimit, request.headers['content-type']);
  if (!known) {
    request.log.error({ err }, 'unhandled error');
    void reply.code(500).type('application/json').send({ code: 'internal_error', detail: 'Internal server error.' });
    return;
  }
  if (known.status >= 500) request.log.warn({ err: known }, known.message);
  if (known instanceof RateLimitedError && known.retryAfterSeconds !== null)
    void reply.header('retry-after', String(known.retryAfterSeconds));
  void reply.code(known.status).type('application/json').send(errorBody(known));
}
