import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApi, type ApiDeps } from '../../src/api/build-api.js';
import { sha256Hex } from '../../src/api/auth.js';
import { testConfig, type Config } from '../../src/config.js';
import { SecretBox } from '../../src/domain/secret-box.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';

export const ADMIN_TOKEN = 'hr_admin_test_token_0123456789';

export interface Harness {
  app: FastifyInstance;
  store: Store;
  config: Config;
  /** inject with the admin token (unless `headers.authorization` is given). */
  call(opts: InjectOptions & { token?: string | null }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** A real SqliteStore in a temp dir behind a real API instance (no socket: `inject`). */
export async function openSqliteStore(): Promise<{ store: Store; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'hookrelay-api-'));
  const store = new SqliteStore({ file: join(dir, 'hookrelay.db'), secretBox: SecretBox.random() });
  await store.migrate();
  return { store, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A store for a harness and how to throw it away (openSqliteStore, or openPostgresStore in postgres-harness.ts). */
export type StoreOpener = () => Promise<{ store: Store; cleanup: () => void | Promise<void> }>;

/** An API over a fresh store (Default: SQLite in a temp dir). */
export async function harness(
  overrides: Partial<Config> = {},
  deps: Partial<ApiDeps> = {},
  openStore: StoreOpener = openSqliteStore,
): Promise<Harness> {
  const { store, cleanup } = await openStore();
  const config = testConfig({ allowNetworks: [], publicUrl: 'http://hookrelay.test', ...overrides });
  const app = await buildApi({ store, config, adminTokenHash: sha256Hex(ADMIN_TOKEN), ...deps });
  return {
    app,
    store,
    config,
    call(opts) {
      const { token, ...rest } = opts;
      const headers: Record<string, string> = { ...(rest.headers as Record<string, string> | undefined) };
      if (token !== null && headers.authorization === undefined)
        headers.authorization = `Bearer ${token ?? ADMIN_TOKEN}`;
      return app.inject({ ...rest, headers });
    },
    async close() {
      await app.close();
      await store.close();
      await cleanup();
    },
  };
}
