import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server/hookrelay-server.js';
import { createTestDatabase } from './postgres.js';
import { CHILD_ENCRYPTION_KEY } from './server-process.js';

/**
 * A Hookrelay (API and worker) in the test's own process, on a fresh data dir and, for
 * PostgreSQL, a fresh database; loopback deliveries allowed. `api` calls it with the admin token
 * and answers the status and the parsed body; `close` stops it and removes what it made.
 */
export interface InProcessServer {
  server: RunningServer;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startInProcessServer(
  store: 'SQLite' | 'PostgreSQL',
  adminToken: string,
  overrides: Partial<Config> = {},
): Promise<InProcessServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hr-in-process-'));
  const db = store === 'PostgreSQL' ? await createTestDatabase('hr_in_process') : null;
  const server = await startServer(
    loadConfig(
      {},
      {
        databaseUrl: db?.url ?? null,
        port: 0,
        host: '127.0.0.1',
        adminToken,
        dataDir,
        encryptionKey: CHILD_ENCRYPTION_KEY,
        logLevel: 'silent',
        allowNetworks: ['127.0.0.1/32'],
        ...overrides,
      },
    ),
  );
  return {
    server,
    async api(method, path, body) {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text === '' ? null : JSON.parse(text) };
    },
    async close() {
      await server.close();
      await db?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
