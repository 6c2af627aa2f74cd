import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequestError } from '../errors.js';

/**
 * Deepest nesting of arrays/objects accepted in a JSON request body. JSON.parse takes far
 * deeper documents, but storing them re-serialises with JSON.stringify, which overflows the
 * stack at a few thousand levels (a bare 500, found by test/security/fuzz-api.test.ts), and
 * PostgreSQL's jsonb has its own stack limit. No real webhook payload comes near this.
 */
export const MAX_JSON_DEPTH = 256;

/** Nesting depth of a JSON text, without parsing it (brackets inside strings do not count). */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

/** Replace the JSON parser with Fastify's own (same prototype-poisoning rules) behind a depth check. */
export function limitJsonDepth(app: FastifyInstance, max = MAX_JSON_DEPTH): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  // CloudEvents' JSON media types (usage events) are JSON too.
  const types = ['application/json', 'application/cloudevents+json', 'application/cloudevents-batch+json'];
  app.addContentTypeParser(types, { parseAs: 'string' }, (req, body, done) => {
    // Clients (curl, SDKs) send Content-Type: application/json on bodiless DELETE/POST; refusing
    // the empty body would silently skip the delete. A route that needs a body still gets 4xx.
    if ((body as string).trim() === '' && bodyIsOptional(req)) {
      done(null, undefined);
      return;
    }
    if (jsonDepthExceeds(body as string, max)) {
      done(new BadRequestError(`The body nests arrays/objects deeper than ${max} levels.`, 'invalid_json'), undefined);
      return;
    }
    parseJson(req, body as string, done);
  });
}

function bodyIsOptional(req: FastifyRequest): boolean {
  return req.routeOptions.schema?.body === undefined || req.routeOptions.config?.optionalBody === true;
}
