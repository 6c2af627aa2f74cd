import { MIGRATIONS } from '../../../src/store/postgres/migrations/index.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { createTestDatabase, postgresAvailable } from '../../support/postgres.js';
import { FAIL, SUCCESS, T0, attemptIn, claim, mkApp, mkEndpoint, mkMessages, msgIn } from '../contract/fixtures.js';
import { newId } from '../../../src/ids.js';
import type { Message } from '../../../src/domain/model.js';
import { writeMessages } from '../../../src/store/postgres/outbox-write.js';
import type { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { eventually, openPgStore, rawQuery, twoProcesses } from './postgres-test-harness.js';

/**
 * What only PostgreSQL has: several processes on one database. Two stores = two pools = two
 * "processes" (each has its own connections, LISTEN session and backend PIDs).
 */
const available = await postgresAvailable();

describe('PostgresStore across processes', { skip: !available }, () => {
  const p = twoProcesses(() => createTestDatabase('hr_pgconc'));

  it('migrate() from several processes at once applies each migration exactly once', async () => {
    const fresh = await createTestDatabase('hr_pgmig');
    const stores = Array.from({ length: 4 }, () => openPgStore(fresh.url, p.box, 2));
    try {
      await Promise.all(stores.map((s) => s.migrate()));
      await Promise.all(stores.map((s) => s.migrate())); // and again: idempotent
      const rows = await rawQuery<{ version: number }>(
        fresh.url,
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      assert.deepEqual(
        rows.map((r) => r.version),
        MIGRATIONS.map((m) => m.version),
      );
      const app = await mkApp(stores[3]);
      assert.equal((await stores[0].getApplication(app.id))?.id, app.id);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await fresh.drop();
    }
  });

  it('two processes claiming concurrently never lease the same row, and together drain the queue', async () => {
    const app = await mkApp(p.a);
    for (let i = 0; i < 4; i++) await mkEndpoint(p.a, app.id);
    for (let batch = 0; batch < 5; batch++) {
      await mkMessages(
        p.a,
        Array.from({ length: 50 }, () => msgIn(app.id)),
      );
    }
    const total = 4 * 5 * 50;
    const seen = new Map<string, string>();
    const dupes: string[] = [];
    const worker = async (store: PostgresStore, owner: string) => {
      for (;;) {
        const got = await claim(store, { owner, limit: 37, now: T0 + 1000, perEndpointLimit: 10_000 });
        if (got.length === 0) return;
        for (const c of got) {
          if (seen.has(c.delivery.id)) dupes.push(c.delivery.id);
          seen.set(c.delivery.id, owner);
        }
        await store.completeDeliveries(
          got.map((c) => ({
            deliveryId: c.delivery.id,
            owner,
            attempt: attemptIn(SUCCESS, T0 + 1001),
            next: { kind: 'success' as const },
          })),
        );
      }
    };
    await Promise.all([worker(p.a, 'a1'), worker(p.b, 'b1'), worker(p.a, 'a2'), worker(p.b, 'b2')]);
    assert.deepEqual(dupes, []);
    assert.equal(seen.size, total);
    const owners = new Set(seen.values());
    assert.ok(owners.size >= 2, `work was shared (${[...owners].join(',')})`);
    assert.equal(await p.a.queueDepth(), 0);
    const attempts = await rawQuery<{ n: number }>(p.url, 'SELECT count(*)::int AS n FROM attempts');
    assert.equal(attempts[0].n, total);
  });

  it('the per-endpoint lease cap holds across processes claiming at the same moment', async () => {
    const app = await mkApp(p.a);
    const ep = await mkEndpoint(p.a, app.id);
    await mkMessages(
      p.a,
      Array.from({ length: 40 }, () => msgIn(app.id)),
    );
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        claim(i % 2 ? p.a : p.b, { owner: `w${i}`, limit: 10, now: T0 + 1, perEndpointLimit: 3 }),
      ),
    );
    const leased = claims.flat();
    assert.equal(leased.length, 3);
    assert.ok(leased.every((c) => c.endpoint.id === ep.id));
    assert.equal(new Set(leased.map((c) => c.delivery.id)).size, 3);
  });

  it('seqs become visible in commit order: a later seq never shows while an earlier one is in flight', async () => {
    const app = await mkApp(p.a);
    const noFilter = { filterTypes: null, channels: null };
    // Transaction 1 (process "raw") reserves its seq and stays open, as a slow writer would.
    const slow = new pg.Client({ connectionString: p.url });
    await slow.connect();
    try {
      await slow.query('BEGIN');
      const [r1] = await writeMessages(slow, [msgIn(app.id)]);
      assert.ok(r1.ok);
      const seq1 = r1.message.seq;
      // Transaction 2 (process b) starts after it and would like to commit first.
      let secondDone = false;
      const second = p.b.createMessages([msgIn(app.id)]).then((r) => {
        secondDone = true;
        return r;
      });
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(secondDone, false, 'the later writer waits for the earlier seq to commit');
      assert.deepEqual(
        await p.a.listMessagesAfter(app.id, 0, 10, noFilter),
        [],
        'nothing is visible while seq 1 is in flight',
      );
      await slow.query('COMMIT');
      const [r2] = await second;
      assert.ok(r2.ok);
      assert.ok(r2.message.seq > seq1, `second seq ${r2.message.seq} after first ${seq1}`);
      const seqs = (await p.a.listMessagesAfter(app.id, 0, 10, noFilter)).map((m) => m.seq);
      assert.deepEqual(seqs, [seq1, r2.message.seq]);
    } finally {
      await slow.end();
    }
  });

  it('a rolled-back writer leaves a gap that no reader waits on', async () => {
    const app = await mkApp(p.a);
    const slow = new pg.Client({ connectionString: p.url });
    await slow.connect();
    try {
      await slow.query('BEGIN');
      await writeMessages(slow, [msgIn(app.id), msgIn(app.id)]);
      const later = p.b.createMessages([msgIn(app.id)]);
      await slow.query('ROLLBACK');
      const [r] = await later;
      assert.ok(r.ok);
      const listed = await p.a.listMessagesAfter(app.id, 0, 10, { filterTypes: null, channels: null });
      assert.deepEqual(
        listed.map((m) => m.id),
        [r.message.id],
      );
    } finally {
      await slow.end();
    }
  });

  it('a cursor following concurrent writers from two processes sees every message exactly once, in seq order', async () => {
    const app = await mkApp(p.a);
    const writers = 6;
    const perWriter = 25;
    let writing = true;
    const read: Message[] = [];
    const reader = (async () => {
      let cursor = 0;
      for (;;) {
        const stillWriting = writing;
        const page = await p.a.listMessagesAfter(app.id, cursor, 50, { filterTypes: null, channels: null });
        read.push(...page);
        if (page.length > 0) cursor = page[page.length - 1].seq;
        else if (!stillWriting) return;
      }
    })();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) await (w % 2 ? p.a : p.b).createMessages([msgIn(app.id), msgIn(app.id)]);
      }),
    );
    writing = false;
    await reader;
    assert.equal(read.length, writers * perWriter * 2);
    assert.equal(new Set(read.map((m) => m.id)).size, read.length);
    for (let i = 1; i < read.length; i++) assert.ok(read[i].seq > read[i - 1].seq);
  });

  it('a duplicate eventId raced by two processes is accepted once; the loser gets the winner', async () => {
    const app = await mkApp(p.a);
    const [ra, rb] = await Promise.all([
      p.a.createMessages([msgIn(app.id, { eventId: 'evt-1' })]),
      p.b.createMessages([msgIn(app.id, { eventId: 'evt-1' })]),
    ]);
    const results = [ra[0], rb[0]];
    const ok = results.filter((r) => r.ok);
    const dup = results.filter((r) => !r.ok);
    assert.equal(ok.length, 1);
    assert.equal(dup.length, 1);
    assert.ok(ok[0].ok && !dup[0].ok && dup[0].reason === 'duplicate_event_id');
    assert.equal(dup[0].existing.id, ok[0].message.id);
  });

  it('an eventId race lost at the insert writes no delivery rows for the loser and keeps the rest of its batch', async () => {
    const app = await mkApp(p.a);
    await mkEndpoint(p.a, app.id);
    const slow = new pg.Client({ connectionString: p.url });
    await slow.connect();
    try {
      await slow.query('BEGIN');
      const [first] = await writeMessages(slow, [msgIn(app.id, { eventId: 'evt-race' })]);
      assert.ok(first.ok);
      // Process b checks eventIds before the first writer commits, then waits for the seq lock.
      const later = p.b.createMessages([msgIn(app.id, { eventId: 'evt-race' }), msgIn(app.id)]);
      await eventually(
        async () =>
          (
            await rawQuery<{ n: number }>(
              p.url,
              `SELECT count(*)::int AS n FROM pg_locks
         WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
            )
          )[0].n === 1,
        5_000,
        'b waiting for the seq lock',
      );
      await slow.query('COMMIT');
      const [lost, kept] = await later;
      assert.ok(!lost.ok && lost.reason === 'duplicate_event_id');
      assert.equal(lost.existing.id, first.message.id);
      assert.ok(kept.ok && kept.deliveryCount === 1);
      assert.ok(kept.message.seq > first.message.seq);
      const rows = await rawQuery<{ msg_id: string }>(p.url, 'SELECT msg_id FROM deliveries');
      assert.deepEqual(rows.map((r) => r.msg_id).sort(), [first.message.id, kept.message.id].sort());
    } finally {
      await slow.end();
    }
  });

  it('deleting endpoints and apps while other processes ingest and resend leaves no orphan delivery rows', async () => {
    const keep = await mkApp(p.a);
    const doomed = await mkApp(p.a);
    const keepEps = await Promise.all([0, 1, 2, 3].map(() => mkEndpoint(p.a, keep.id)));
    const doomedEps = await Promise.all([0, 1].map(() => mkEndpoint(p.a, doomed.id)));
    const [seed] = await mkMessages(p.a, [msgIn(keep.id)]);
    let ingesting = true;
    const ingest = async (store: PostgresStore) => {
      while (ingesting) {
        const results = await store.createMessages([
          ...Array.from({ length: 10 }, () => msgIn(keep.id)),
          ...Array.from({ length: 10 }, () => msgIn(doomed.id)),
        ]);
        assert.ok(results.every((r) => r.ok || r.reason === 'app_not_found'));
        await store.resendDelivery(keep.id, seed.id, keepEps[3].id, T0);
      }
    };
    const writers = [ingest(p.a), ingest(p.b), ingest(p.a)];
    await new Promise((r) => setTimeout(r, 100));
    for (const ep of keepEps) {
      assert.equal(await p.b.deleteEndpoint(keep.id, ep.id), true);
      await new Promise((r) => setTimeout(r, 30));
    }
    assert.equal(await p.b.deleteApplication(doomed.id), true);
    await new Promise((r) => setTimeout(r, 100));
    ingesting = false;
    await Promise.all(writers);
    const orphans = await rawQuery<{ no_ep: number; no_msg: number; total: number }>(
      p.url,
      `SELECT
      (SELECT count(*)::int FROM deliveries d WHERE NOT EXISTS (SELECT 1 FROM endpoints e WHERE e.id = d.endpoint_id)) AS no_ep,
      (SELECT count(*)::int FROM deliveries d WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = d.msg_id)) AS no_msg,
      (SELECT count(*)::int FROM deliveries) AS total`,
    );
    assert.deepEqual(orphans[0], { no_ep: 0, no_msg: 0, total: 0 });
    assert.ok(doomedEps.length === 2);
    assert.equal(await p.a.queueDepth(), 0);
  });

  it("deleting an endpoint while an outcome commit holds its delivery row leaves none of that commit's attempts", async () => {
    const app = await mkApp(p.a);
    const ep = await mkEndpoint(p.a, app.id);
    await mkMessages(p.a, [msgIn(app.id)]);
    const [leased] = await claim(p.a, { now: T0 + 1000 });
    // What COMPLETE does, held open: the delivery row locked, its attempt written, not yet committed.
    const outcome = new pg.Client({ connectionString: p.url });
    await outcome.connect();
    try {
      await outcome.query('BEGIN');
      await outcome.query('SELECT id FROM deliveries WHERE id = $1 FOR NO KEY UPDATE', [leased.delivery.id]);
      await outcome.query(
        `INSERT INTO attempts (id, app_id, msg_id, endpoint_id, delivery_id, url, status, response_status_code, response,
           response_duration_ms, trigger_type, created_at)
         VALUES ($1, $2, $3, $4, $5, 'https://example.test/hook', 0, 200, 'ok', 12, 0, $6)`,
        [newId('attempt', T0), app.id, leased.message.id, ep.id, leased.delivery.id, T0 + 1001],
      );
      const deleting = p.b.deleteEndpoint(app.id, ep.id);
      const waiting = async () =>
        (
          await rawQuery<{ n: number }>(
            p.url,
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'delete from "deliveries"%'`,
          )
        )[0].n > 0;
      await eventually(waiting, 2_000, 'the delete waiting on the outcome commit');
      assert.ok(await waiting(), 'the delete waits on the outcome commit');
      await outcome.query('COMMIT');
      assert.equal(await deleting, true);
    } finally {
      await outcome.end();
    }
    const left = await rawQuery<{ n: number }>(
      p.url,
      'SELECT count(*)::int AS n FROM attempts WHERE endpoint_id = $1',
      [ep.id],
    );
    assert.equal(left[0].n, 0);
  });

  it("NOTIFY from one process wakes the other's onWork and onMessages; a local write wakes local listeners once", async () => {
    const app = await mkApp(p.a);
    await mkEndpoint(p.a, app.id);
    const wokeB: string[] = [];
    let workB = 0;
    let messagesA = 0;
    p.b.onWork(() => workB++);
    p.b.onMessages((appId) => wokeB.push(appId));
    p.a.onMessages(() => messagesA++);
    await Promise.all([p.a.listening(), p.b.listening()]);
    await mkMessages(p.a, [msgIn(app.id)]);
    await eventually(() => workB > 0 && wokeB.length > 0, 5_000, 'notification in process b');
    assert.deepEqual(wokeB, [app.id]);
    // Process a heard its own write directly; its own NOTIFY is recognised and not delivered twice.
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(messagesA, 1);
  });

  it("a background task's chunk that re-queues deliveries wakes the other process's onWork", async () => {
    const app = await mkApp(p.a);
    const ep = await mkEndpoint(p.a, app.id);
    await mkMessages(p.a, [msgIn(app.id)]);
    const claimed = await claim(p.a, { now: T0 + 1000 });
    await p.a.completeDeliveries(
      claimed.map((c) => ({
        deliveryId: c.delivery.id,
        owner: 'worker-1',
        attempt: attemptIn(FAIL, T0 + 1001),
        next: { kind: 'fail' as const },
      })),
    );
    let workB = 0;
    p.b.onWork(() => workB++);
    await p.b.listening();
    // The ingest and outcome writes above NOTIFY too: let theirs arrive, then count only what follows.
    await new Promise((r) => setTimeout(r, 300));
    workB = 0;
    const task = await p.a.createBackgroundTask({
      id: newId('task', T0),
      kind: 'endpoint.recover',
      appId: app.id,
      endpointId: ep.id,
      params: { since: T0, until: null },
      now: T0,
    });
    await p.a.claimBackgroundTask('runner', T0 + 2000, 60_000);
    const done = (await p.a.advanceBackgroundTask(task.id, 'runner', T0 + 2000, 10, 60_000))?.task ?? null;
    assert.equal(done?.data.sent, 1);
    await eventually(() => workB > 0, 5_000, 'NOTIFY of the re-queued delivery in process b');
  });

  it('unsubscribed listeners are not called', async () => {
    const app = await mkApp(p.a);
    let calls = 0;
    const off = p.b.onMessages(() => calls++);
    await p.b.listening();
    off();
    await mkMessages(p.a, [msgIn(app.id)]);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(calls, 0);
  });
});
