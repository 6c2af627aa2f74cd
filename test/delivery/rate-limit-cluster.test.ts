import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DeliveryWorker } from '../../src/delivery/worker.js';
import { SecretBox } from '../../src/domain/secret-box.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { startReceiver } from './receiver.js';
import { memoryLogger, mkApp, mkEndpoint, sendMessage, waitFor, workerConfig } from './worker-harness.js';

/**
 * An endpoint's `rateLimit` holds across worker processes: three workers, each with a store
 * (pool, LISTEN session) of its own on one PostgreSQL database, share a backlog for one endpoint
 * limited to 20/s. A receiver on loopback timestamps every arrival: no 5 s window may see more
 * than 22/s (the limit + 10 %), nothing is lost or sent twice, and the backlog drains at ≥ 18/s.
 */
const RATE = 20;
const MESSAGES = 240;
const WINDOW_MS = 5000;

describe('endpoint rateLimit across three worker processes (PostgreSQL)', () => {
  let skip = false;
  let db: { url: string; drop: () => Promise<void> } | undefined;
  before(async () => {
    skip = !(await postgresAvailable());
    if (!skip) db = await createTestDatabase('hr_ratelimit');
  });
  after(async () => {
    await db?.drop();
  });

  it('holds 20/s within 10 % over every 5 s window, and drains the backlog at the limit', async (t) => {
    if (skip) return t.skip('PostgreSQL unavailable');
    const box = SecretBox.random();
    const stores = Array.from({ length: 3 }, () => new PostgresStore({ url: db!.url, secretBox: box, poolSize: 4 }));
    const receiver = await startReceiver();
    const workers: DeliveryWorker[] = [];
    try {
      await stores[0].migrate();
      const app = await mkApp(stores[0]);
      await mkEndpoint(stores[0], app.id, receiver.url, { rateLimit: RATE });
      for (let i = 0; i < MESSAGES; i++) await sendMessage(stores[0], app.id, { i });
      const config = workerConfig({ pollIntervalMs: 100 });
      for (const store of stores) {
        const w = new DeliveryWorker({ store, config, logger: memoryLogger(), random: () => 0.5 });
        workers.push(w);
        w.start();
      }
      await waitFor(() => receiver.requests.length >= MESSAGES, 2 * (MESSAGES / RATE) * 1000, `${MESSAGES} deliveries`);
      await new Promise((r) => setTimeout(r, 300)); // anything sent twice would arrive now

      const at = receiver.requests.map((r) => r.at).sort((a, b) => a - b);
      const ids = new Set(receiver.requests.map((r) => r.headers['webhook-id']));
      assert.equal(ids.size, MESSAGES, 'every message arrived');
      assert.equal(receiver.requests.length, MESSAGES, 'none arrived twice');
      let busiest = 0;
      for (const start of at) busiest = Math.max(busiest, at.filter((x) => x >= start && x < start + WINDOW_MS).length);
      const overall = ((at.length - 1) * 1000) / (at[at.length - 1] - at[0]);
      t.diagnostic(
        `busiest 5 s window: ${busiest} (${(busiest / 5).toFixed(1)}/s); overall ${overall.toFixed(2)}/s over ${at[at.length - 1] - at[0]} ms`,
      );
      assert.ok(
        busiest <= (RATE * 1.1 * WINDOW_MS) / 1000,
        `${busiest} deliveries in one 5 s window (limit ${RATE}/s)`,
      );
      assert.ok(overall >= RATE * 0.9, `the backlog drained at only ${overall.toFixed(2)}/s`);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await receiver.close();
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
