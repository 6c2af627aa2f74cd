import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ApiClient } from '../support/api-client.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { CHILD_ADMIN_TOKEN, spawnServer, type ServerProcess } from '../support/server-process.js';
import { crashReceiver, crashRun, type CrashRunResult } from './crash-driver.js';

/**
 * kill -9 during sustained load, restart, count: lost must be 0, duplicates are reported.
 * Fast variant (npm test): one run of 2,000 messages and one kill per store. Soak (SOAK=1,
 * npm run test:soak): several runs of 10,000 messages, several kills each at random points.
 */

const SOAK = process.env.SOAK === '1';
const MESSAGES = Number(process.env.CRASH_MESSAGES ?? (SOAK ? 10_000 : 2_000));
const RUNS = SOAK ? 3 : 1;
const KILLS = SOAK ? 4 : 1;

// Compressed timings: a dead worker's leases expire after 2 s; retries come back within a second.
const FAST_ENV = {
  HOOKRELAY_ALLOW_NETWORKS: '127.0.0.0/8',
  HOOKRELAY_REQUEST_TIMEOUT_MS: '1000',
  HOOKRELAY_LEASE_MS: '2000',
  HOOKRELAY_RETRY_SCHEDULE: '0,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5',
  HOOKRELAY_POLL_INTERVAL_MS: '100',
};

function report(store: string, results: CrashRunResult[]): void {
  const sum = (f: (r: CrashRunResult) => number) => results.reduce((a, r) => a + f(r), 0);
  console.log(
    `# crash[${store}]: runs=${results.length} kills=${sum((r) => r.kills)} messages=${sum((r) => r.messages)} accepted=${sum((r) => r.accepted)} lost=${sum((r) => r.lost)} duplicates=${sum((r) => r.duplicates)} retriedPosts=${sum((r) => r.retriedPosts)} killedAt=${results.map((r) => r.killedAt.join('/')).join(',')}`,
  );
}

function check(r: CrashRunResult): void {
  assert.equal(r.accepted, r.messages, 'every message was eventually acknowledged (202 or 409 after a crash)');
  assert.ok(r.kills >= 1, 'at least one kill happened while deliveries were in progress');
  for (const at of r.killedAt)
    assert.ok(at > 0 && at < r.messages, `killed mid-delivery (${at} of ${r.messages} received)`);
  assert.equal(r.lost, 0, `lost ${r.lost} acknowledged messages`);
}

async function setUp(client: ApiClient, url: string): Promise<void> {
  await client.expect(201, 'POST', '/api/v1/app', { name: 'Crash', uid: 'crash' });
  await client.expect(201, 'POST', '/api/v1/app/crash/endpoint', { url });
}

describe('crash and restart', { timeout: SOAK ? 3_600_000 : 120_000 }, () => {
  test(`SQLite: kill -9 the server mid-delivery, restart on the same data dir: nothing lost (${MESSAGES} messages)`, async () => {
    const results: CrashRunResult[] = [];
    for (let run = 0; run < RUNS; run++) {
      const dir = mkdtempSync(join(tmpdir(), 'hookrelay-crash-'));
      const env = { ...FAST_ENV, HOOKRELAY_DATA_DIR: dir };
      const recorder = await crashReceiver();
      let server: ServerProcess = await spawnServer({ env });
      const client = new ApiClient(server.url!, CHILD_ADMIN_TOKEN);
      try {
        await setUp(client, recorder.url);
        const r = await crashRun(recorder, {
          messages: MESSAGES,
          kills: KILLS,
          client,
          appUid: 'crash',
          kill: async () => {
            await server.kill9();
            server = await spawnServer({ env });
            client.baseUrl = server.url!;
          },
        });
        results.push(r);
        check(r);
      } finally {
        await server.kill9();
        await client.close();
        await recorder.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }
    report('sqlite', results);
  });

  test(`PostgreSQL: an API process and 3 workers, kill -9 a worker at a random point: nothing lost (${MESSAGES} messages)`, async (t) => {
    if (!(await postgresAvailable())) return t.skip('no PostgreSQL');
    const results: CrashRunResult[] = [];
    for (let run = 0; run < RUNS; run++) {
      const db = await createTestDatabase('hr_crash');
      const env = {
        ...FAST_ENV,
        HOOKRELAY_DATABASE_URL: db.url,
        HOOKRELAY_DATA_DIR: mkdtempSync(join(tmpdir(), 'hookrelay-crash-pg-')),
      };
      const recorder = await crashReceiver();
      const api = await spawnServer({ env: { ...env, HOOKRELAY_ROLE: 'api' } });
      const workers: ServerProcess[] = await Promise.all(
        [0, 1, 2].map(() => spawnServer({ env: { ...env, HOOKRELAY_ROLE: 'worker' } })),
      );
      const client = new ApiClient(api.url!, CHILD_ADMIN_TOKEN);
      try {
        await setUp(client, recorder.url);
        const r = await crashRun(recorder, {
          messages: MESSAGES,
          kills: KILLS,
          client,
          appUid: 'crash',
          kill: async () => {
            const victim = Math.floor(Math.random() * workers.length);
            await workers[victim].kill9();
            // Fast variant: the survivors must take over the dead worker's leases on their own.
            // Soak: a replacement joins, as a supervisor would start one.
            if (SOAK) workers[victim] = await spawnServer({ env: { ...env, HOOKRELAY_ROLE: 'worker' } });
            else workers.splice(victim, 1);
          },
        });
        results.push(r);
        check(r);
      } finally {
        await Promise.all([api, ...workers].map((p) => p.kill9()));
        await client.close();
        await recorder.close();
        await db.drop().catch(() => {});
        rmSync(env.HOOKRELAY_DATA_DIR, { recursive: true, force: true });
      }
    }
    report('postgres', results);
  });
});
