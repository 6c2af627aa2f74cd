import type { FastifyRequest } from 'fastify';
import { ValidationError, type ValidationIssue } from '../errors.js';

/**
 * Every string a client sends — path parameters, query values, JSON body keys and values at any
 * depth — must be one a store can keep: no NUL (PostgreSQL text and jsonb refuse it) and no
 * unpaired UTF-16 surrogate (it has no UTF-8 encoding; the driver would store U+FFFD instead).
 * Checked once here, before schema validation, so every route and field answers the same 422
 * on both stores instead of a 500 on one and silent corruption on the other.
 *
 * A route's `opaqueBodyFields` are exempt: a message `payload` is arbitrary JSON kept as JSON
 * text, where NUL and lone surrogates are `\u0000`/`\ud800` escapes and come back unchanged.
 */

export const UNSTORABLE_STRING = 'value_error.unstorable_string';
const MSG = 'must not contain NUL (\\u0000) or an unpaired surrogate (\\ud800-\\udfff)';

// NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
// (String.prototype.isWellFormed needs lib es2024.)
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorableString(s: string): boolean {
  return !UNSTORABLE.test(s);
}

/** The location of the first unstorable key or string in `value`, or null. */
function findUnstorable(
  value: unknown,
  loc: Array<string | number>,
  skip: ReadonlySet<string>,
  depth = 0,
): Array<string | number> | null {
  if (typeof value === 'string') return isStorableString(value) ? null : loc;
  // Buffers (raw inbound bodies) are bytes, not strings; depth is bounded by json-depth.ts.
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorable(value[i], [...loc, i], skip, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, v] of Object.entries(value)) {
    if (!isStorableString(key)) return [...loc, key];
    if (depth === 0 && skip.has(key)) continue;
    const found = findUnstorable(v, [...loc, key], skip, depth + 1);
    if (found) return found;
  }
  return null;
}

const NONE: ReadonlySet<string> = new Set();

/** preValidation hook: refuse the request with a 422 naming the first unstorable string. */
export async function refuseUnstorableStrings(req: FastifyRequest): Promise<void> {
  const skip = new Set(req.routeOptions.config?.opaqueBodyFields ?? []);
  const issues: ValidationIssue[] = [];
  for (const [part, value, exempt] of [
    ['path', req.params, NONE],
    ['query', req.query, NONE],
    ['body', req.body, skip],
  ] as const) {
    const loc = findUnstorable(value, [part], exempt);
    // The key itself may be the culprit; it is reported as it is (JSON escapes it in the answer).
    if (loc) issues.push({ loc, msg: MSG, type: UNSTORABLE_STRING });
  }
  if (issues.length > 0) throw new ValidationError(issues);
}
