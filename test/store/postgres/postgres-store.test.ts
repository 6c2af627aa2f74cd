import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createTestDatabase, postgresAvailable } from '../../support/postgres.js';
import { testConfig } from '../../../src/config.js';
import { SecretBox } from '../../../src/domain/secret-box.js';
import { ConflictError, StoreUnavailableError } from '../../../src/errors.js';
import { FAIL, SUCCESS, T0, attemptIn, claim, mkApp, mkEndpoint, mkMessages, msgIn } from '../contract/fixtures.js';
import type { ClaimedDelivery, DeliveryOutcome } from '../../../src/store/store.js';
import type { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { openStore } from '../../../src/store/open-store.js';
import { runStoreContract } from '../store.contract.js';
import { MIGRATIONS } from '../../../src/store/postgres/migrations/index.js';
import { openPgStore, rawQuery, truncateAll } from './postgres-test-harness.js';

/**
 * The shared Store contract on the real PostgreSQL server, plus what is specific to this
 * adapter's single-process behaviour. Cross-process cases live in postgres-concurrency.test.ts.
 * One fresh database for this file (test/support/postgres.ts); each test empties it.
 */
const available = await postgresAvailable();

let database: Promise<{ url: string; drop: () => Promise<void> }> | undefined;
const url = async (): Promise<string> => (await (database ??= createTestDatabase('hr_pgstore'))).url;
after(async () => {
  if (database) await (await database).drop();
});

if (available) {
  runStoreContract(
    'postgres',
    async () => {
      const secretBox = SecretBox.random();
      const store = openPgStore(await url(), secretBox);
      await store.migrate();
      await truncateAll(await url());
      return {
        store,
        secretBox,
        rawEndpointSecrets: async (id) =>
          (
            await rawQuery<{ secrets: string }>(
              await url(),
              'SELECT secrets::text AS secrets FROM endpoints WHERE id = $1',
              [id],
            )
          )[0].secrets,
        cleanup: () => store.close(),
      };
    },
    { ingestHandOff: true },
  );
} else {
  describe('Store contract: postgres', { skip: 'PostgreSQL unreachable (see the SKIP line above)' }, () => {});
}

describe('PostgresStore specifics', { skip: !available }, () => {
  /** A migrated store over an emptied database for `fn`, closed after. */
  async function withEmptyStore(fn: (store: PostgresStore) => Promise<void>): Promise<void> {
    const store = openPgStore(await url());
    try {
      await store.migrate();
      await truncateAll(await url());
      await fn(store);
    } finally {
      await store.close();
    }
  }

  it('openStore picks PostgreSQL for a postgres:// URL and migrates it', async () => {
    const store = await openStore(testConfig({ databaseUrl: await url() }), SecretBox.random());
    try {
      assert.equal(store.dialect, 'postgres');
      await store.ping();
      const rows = await rawQuery<{ version: number }>(
        await url(),
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      assert.deepEqual(
        rows.map((r) => r.version),
        MIGRATIONS.map((m) => m.version),
      );
    } finally {
      await store.close();
    }
  });

  it('refuses a database migrated by a newer version', async () => {
    const store = openPgStore(await url());
    await store.migrate();
    await rawQuery(await url(), "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)");
    try {
      await assert.rejects(
        store.migrate(),
        (err: Error) => err instanceof StoreUnavailableError && /9999/.test(err.message),
      );
    } finally {
      await rawQuery(await url(), 'DELETE FROM schema_migrations WHERE version = 9999');
      await store.close();
    }
  });

  it('close() is idempotent and ends the LISTEN connection too', async () => {
    const store = openPgStore(await url());
    store.onWork(() => {});
    await store.listening();
    await store.close();
    await store.close();
    const listeners = await rawQuery<{ n: number }>(
      await url(),
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'",
    );
    assert.equal(listeners[0].n, 0);
  });

  it('maps unique violations on uid to ConflictError with a readable detail', async () => {
    await withEmptyStore(async (store) => {
      const app = await mkApp(store);
      await mkEndpoint(store, app.id, { uid: 'dup' });
      const err = await mkEndpoint(store, app.id, { uid: 'dup' }).catch((e: unknown) => e);
      assert.ok(err instanceof ConflictError);
      assert.match(err.message, /endpoint with this uid/);
    });
  });

  it('writes one ingest batch as one transaction with multi-row inserts (one xid for every row)', async () => {
    await withEmptyStore(async (store) => {
      const app = await mkApp(store);
      await mkEndpoint(store, app.id);
      await mkEndpoint(store, app.id);
      const results = await store.createMessages(Array.from({ length: 20 }, () => msgIn(app.id, { now: T0 })));
      assert.ok(results.every((r) => r.ok && r.deliveryCount === 2));
      const xids = await rawQuery<{ n: number }>(
        await url(),
        'SELECT count(DISTINCT x)::int AS n FROM (SELECT xmin::text AS x FROM messages UNION ALL SELECT xmin::text FROM deliveries) t',
      );
      assert.equal(xids[0].n, 1);
    });
  });

  it("writes an endpoint's row in an outcome commit only when its health changes", async () => {
    await withEmptyStore(async (store) => {
      const app = await mkApp(store);
      const ep = await mkEndpoint(store, app.id);
      await mkMessages(store, [msgIn(app.id), msgIn(app.id), msgIn(app.id)]);
      const [first, second, third] = await claim(store, { owner: 'w', now: T0 + 1 });
      const outcome = (c: ClaimedDelivery, failed: boolean, now: number): DeliveryOutcome => ({
        deliveryId: c.delivery.id,
        owner: 'w',
        attempt: attemptIn(failed ? FAIL : SUCCESS, now),
        next: failed ? { kind: 'retry', at: now + 1_000 } : { kind: 'success' },
        endpointUpdate: { endpointId: ep.id, failed, disable: false, now },
      });
      // xmin changes when the row is rewritten, xmax when it is only locked.
      const version = async () =>
        (
          await rawQuery<{ v: string }>(
            await url(),
            "SELECT xmin::text || '/' || xmax::text AS v FROM endpoints WHERE id = $1",
            [ep.id],
          )
        )[0].v;

      const healthy = await version();
      await store.completeDeliveries([outcome(first, false, T0 + 2)]);
      assert.equal(await version(), healthy, "a healthy endpoint's success neither locks nor rewrites its row");

      await store.completeDeliveries([outcome(second, true, T0 + 3)]);
      assert.equal((await store.getEndpoint(app.id, ep.id))?.failingSince, T0 + 3);
      const failing = await version();
      assert.notEqual(failing, healthy);

      await store.completeDeliveries([outcome(third, false, T0 + 4)]);
      assert.equal((await store.getEndpoint(app.id, ep.id))?.failingSince, null);
      assert.notEqual(await version(), failing);
    });
  });
});
