import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DeliveryWorker } from '../../src/delivery/worker.js';
import { SecretBox } from '../../src/domain/secret-box.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { startReceiver } from './receiver.js';
import { memoryLogger, mkApp, mkEndpoint, sendMessage, waitFor, workerConfig } from './worker-harness.js';

/**
 * A slow receiver never gets a second copy from another worker: each request takes most of the
 * request timeout, the lease is only a little longer, and rows wait in each worker's queue for
 * the endpoint's two request slots. A worker sends a row only while its lease still covers a
 * whole request (else it releases it for another claim), so three workers on one PostgreSQL
 * database deliver every message exactly once.
 */
const MESSAGES = 24;

describe('leases and a slow receiver across three workers (PostgreSQL)', () => {
  let skip = false;
  let db: { url: string; drop: () => Promise<void> } | undefined;
  before(async () => {
    skip = !(await postgresAvailable());
    if (skip && process.env.CI) throw new Error('PostgreSQL is unreachable at 127.0.0.1:5432; CI requires it');
    if (!skip) db = await createTestDatabase('hr_lease');
  });
  after(async () => {
    await db?.drop();
  });

  it('delivers each message once although requests take 70 % of the timeout and leases barely outlast it', async (t) => {
    if (skip) return t.skip('PostgreSQL unavailable');
    const box = SecretBox.random();
    const stores = Array.from({ length: 3 }, () => new PostgresStore({ url: db!.url, secretBox: box, poolSize: 4 }));
    const receiver = await startReceiver((_r, res) => {
      setTimeout(() => res.end('ok'), 700);
    });
    const workers: DeliveryWorker[] = [];
    try {
      await stores[0].migrate();
      const app = await mkApp(stores[0]);
      await mkEndpoint(stores[0], app.id, receiver.url);
      for (let i = 0; i < MESSAGES; i++) await sendMessage(stores[0], app.id, { i });
      const config = workerConfig({
        requestTimeoutMs: 1000,
        leaseMs: 1500,
        endpointConcurrency: 2,
        pollIntervalMs: 100,
      });
      for (const store of stores) {
        const w = new DeliveryWorker({ store, config, logger: memoryLogger(), random: () => 0.5 });
        workers.push(w);
        w.start();
      }
      await waitFor(() => receiver.requests.length >= MESSAGES, 60_000, `${MESSAGES} deliveries`);
      await new Promise((r) => setTimeout(r, 2000)); // a second copy after a lease ran out would arrive now
      const ids = receiver.requests.map((r) => String(r.headers['webhook-id']));
      t.diagnostic(`${ids.length} requests for ${new Set(ids).size} messages`);
      assert.equal(new Set(ids).size, MESSAGES, 'every message arrived');
      assert.equal(ids.length, MESSAGES, 'none arrived twice');
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await receiver.close();
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
