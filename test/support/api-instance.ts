import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyBaseLogger, FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApi } from '../../src/api/build-api.js';
import { sha256Hex } from '../../src/api/auth.js';
import { testConfig, type Config } from '../../src/config.js';
import { SecretBox } from '../../src/domain/secret-box.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';

/**
 * An in-process API (`buildApi`) over a real SQLite file in a temp dir, for the security tests
 * that drive every route through `app.inject` (no sockets). Separate from test/api's harness
 * so the security suite does not move when the API tests do.
 */

export const SEC_ADMIN_TOKEN = 'hr_admin_security_suite_token_0123456789';

export interface ApiInstance {
  app: FastifyInstance;
  store: Store;
  config: Config;
  /** inject with `Authorization: Bearer <token>` (admin unless given; null = no header). */
  call(opts: InjectOptions & { token?: string | null }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function apiInstance(overrides: Partial<Config> = {}, logger?: FastifyBaseLogger): Promise<ApiInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'hookrelay-sec-'));
  const store = new SqliteStore({ file: join(dir, 'hookrelay.db'), secretBox: SecretBox.random() });
  await store.migrate();
  const config = testConfig({ allowNetworks: [], publicUrl: 'http://hookrelay.test', dataDir: dir, ...overrides });
  const app = await buildApi({ store, config, adminTokenHash: sha256Hex(SEC_ADMIN_TOKEN), logger });
  return {
    app,
    store,
    config,
    call(opts) {
      const { token, ...rest } = opts;
      const headers: Record<string, string> = { ...(rest.headers as Record<string, string> | undefined) };
      if (token !== null && headers.authorization === undefined) headers.authorization = `Bearer ${token ?? SEC_ADMIN_TOKEN}`;
      return app.inject({ ...rest, headers });
    },
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
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
      if (!Array.isArray(issue?.loc) || !issue.loc.every((x) => typeof x === 'string' || typeof x === 'number')) return `422 issue without loc: ${JSON.stringify(issue)}`;
      if (typeof issue.msg !== 'string' || typeof issue.type !== 'string') return `422 issue without msg/type: ${JSON.stringify(issue)}`;
    }
    return null;
  }
  if (typeof b?.code !== 'string' || typeof b?.detail !== 'string') return `error body is not {code, detail}: ${body.slice(0, 200)}`;
  return null;
}
