import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../src/config.js';
import { ADMIN_TOKEN, harness, openSqliteStore, type Harness, type StoreOpener } from '../api/api-harness.js';

/**
 * An in-process API (`buildApi`) over a real SQLite file in a temp dir (or another store), for the security tests
 * that drive every route through `app.inject` (no sockets) — the API tests' harness, with an
 * optional logger so the secrets test can read what gets logged.
 */

export const SEC_ADMIN_TOKEN = ADMIN_TOKEN;

export type ApiInstance = Harness;

export function apiInstance(
  overrides: Partial<Config> = {},
  logger?: FastifyBaseLogger,
  openStore: StoreOpener = openSqliteStore,
): Promise<ApiInstance> {
  return harness(overrides, logger ? { logger } : {}, openStore);
}

/** What a Hookrelay error body must look like: `{code, detail}` strings, or 422 `{detail: [{loc, msg, type}]}`. */
export function errorBodyProblem(status: number, body: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `error body is not JSON: ${body.slice(0, 200)}`;
  }
  const b = parsed as Record<string, unknown>;
  if (status === 422 && Array.isArray(b?.detail)) {
    if (b.detail.length === 0) return '422 with an empty detail list';
    for (const issue of b.detail as Array<Record<string, unknown>>) {
      if (!Array.isArray(issue?.loc) || !issue.loc.every((x) => typeof x === 'string' || typeof x === 'number'))
        return `422 issue without loc: ${JSON.stringify(issue)}`;
      if (typeof issue.msg !== 'string' || typeof issue.type !== 'string')
        return `422 issue without msg/type: ${JSON.stringify(issue)}`;
    }
    return null;
  }
  if (typeof b?.code !== 'string' || typeof b?.detail !== 'string')
    return `error body is not {code, detail}: ${body.slice(0, 200)}`;
  return null;
}
