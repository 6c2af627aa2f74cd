import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { createTestDatabase, postgresAvailable } from '../../support/postgres.js';
import { SUCCESS, T0, attemptIn, claim, mkApp, mkEndpoint, mkMessages, msgIn } from '../contract/fixtures.js';
import { LOCK_CLAIM, LOCK_MESSAGE_SEQ } from '../../../src/store/postgres/advisory-locks.js';
import { eventually, rawQuery, twoProcesses } from './postgres-test-harness.js';

/**
 * Ingest claiming for its worker (outbox-write.ts) and the claims of other processes, on one
 * database: two stores = two "processes". What the store contract cannot show: the claim lock.
 */
const available = await postgresAvailable();

describe('PostgreSQL ingest claiming beside claims of other processes', { skip: !available }, () => {
  const p = twoProcesses(() => createTestDatabase('hr_pgingclaim'));

  /** A transaction on its own connection that holds advisory lock `key` (and runs `sql`) until `end()`. */
  async function holdLock(key = LOCK_CLAIM, sql?: string): Promise<{ end: () => Promise<void> }> {
    const holder = new pg.Client({ connectionString: p.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock($1)', [key]);
    if (sql) await holder.query(sql);
    return {
      end: async () => {
        await holder.query('COMMIT');
        await holder.end();
      },
    };
  }
  const holdClaimLock = () => holdLock();
  const waitingForAdvisoryLock = async () =>
    (
      await rawQuery<{ n: number }>(
        p.url,
        `SELECT count(*)::int AS n FROM pg_locks
     WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      )
    )[0].n === 1;
  /** `p`, or a failure after 3 s: what must not wait for the lock fails instead of hanging the suite. */
  const withoutWaiting = <T>(p: Promise<T>): Promise<T> =>
    Promise.race([
      p,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('waited for the claim lock')), 3_000).unref(),
      ),
    ]);
  const ingestClaim = (over: { owner?: string; perEndpointLimit?: number } = {}) => ({
    owner: 'a1',
    limit: 100,
    leaseMs: 60_000,
    now: T0 + 10,
    perEndpointLimit: 100,
    ...over,
  });

  it('ingest claiming for its worker never waits for a claim: while one runs, it leases nothing and the rows stay pending', async () => {
    const app = await mkApp(p.a);
    await mkEndpoint(p.a, app.id);
    const lock = await holdClaimLock();
    let written;
    try {
      written = await withoutWaiting(p.a.createMessagesAndClaim([msgIn(app.id)], ingestClaim()));
    } finally {
      await lock.end();
    }
    assert.ok(written.results[0].ok);
    assert.deepEqual(written.claimed, []);
    assert.equal((await claim(p.b, { owner: 'b1', now: T0 + 20 })).length, 1, 'a claim takes the row');
  });

  it('an outcome commit claims only when something is due, so an idle one leaves the claim lock alone', async () => {
    const app = await mkApp(p.a);
    await mkEndpoint(p.a, app.id);
    await mkMessages(p.a, [msgIn(app.id)]);
    const [first] = await claim(p.a, { owner: 'a1', now: T0 + 1 });
    const done = (id: string, at: number) => [
      { deliveryId: id, owner: 'a1', attempt: attemptIn(SUCCESS, at), next: { kind: 'success' as const } },
    ];
    const lock = await holdClaimLock();
    try {
      // Nothing due: it returns while the lock is held (it would wait for the lock if it claimed).
      assert.deepEqual(
        await withoutWaiting(p.a.completeAndClaim(done(first.delivery.id, T0 + 2), ingestClaim({ owner: 'a1' }))),
        [],
      );
    } finally {
      await lock.end();
    }
    await mkMessages(p.a, [msgIn(app.id), msgIn(app.id)]);
    const [second] = await claim(p.a, { owner: 'a1', now: T0 + 3, limit: 1 });
    const again = await holdClaimLock();
    let settled = false;
    const next = p.a.completeAndClaim(done(second.delivery.id, T0 + 4), ingestClaim({ owner: 'a1' })).finally(() => {
      settled = true;
    });
    try {
      await eventually(waitingForAdvisoryLock, 5_000, 'a row is due: the commit claims, so it waits for the lock');
      assert.equal(settled, false);
    } finally {
      await again.end();
    }
    assert.equal((await next).length, 1);
  });

  it('ingest claiming in one process and claims in another keep the per-endpoint lease cap together', async () => {
    const app = await mkApp(p.a);
    await mkEndpoint(p.a, app.id);
    await Promise.all([
      ...Array.from({ length: 6 }, (_, i) =>
        p.a.createMessagesAndClaim(
          [msgIn(app.id), msgIn(app.id)],
          ingestClaim({ owner: `a${i}`, perEndpointLimit: 3 }),
        ),
      ),
      ...Array.from({ length: 6 }, (_, i) => claim(p.b, { owner: `b${i}`, now: T0 + 10, perEndpointLimit: 3 })),
    ]);
    await claim(p.b, { owner: 'b-last', now: T0 + 10, perEndpointLimit: 3 });
    const leased = await rawQuery<{ n: number }>(p.url, 'SELECT count(*)::int AS n FROM deliveries WHERE status = 3');
    assert.equal(leased[0].n, 3);
    assert.equal(await p.a.queueDepth(), 12, 'every row written, leased or pending');
  });

  it('ingest counts the leases a claim committed while its statement waited, not those of its snapshot', async () => {
    const app = await mkApp(p.a);
    const ep = await mkEndpoint(p.a, app.id);
    await mkMessages(p.b, [msgIn(app.id), msgIn(app.id)]);
    // Two rows whose leases expired (their worker died): neither pending nor leased at T0 + 10.
    await rawQuery(p.url, `UPDATE deliveries SET status = 3, lease_owner = 'dead', lease_expires_at = ${T0}`);
    // A claim of another process re-leases both (the cap is 2), and commits only once ingest's
    // statement has started and is waiting for the seq lock, which a third transaction holds.
    const claimer = await holdLock(
      LOCK_CLAIM,
      `UPDATE deliveries SET lease_owner = 'b1', lease_expires_at = ${T0 + 60_000}`,
    );
    const seq = await holdLock(LOCK_MESSAGE_SEQ);
    const written = p.a.createMessagesAndClaim([msgIn(app.id)], ingestClaim({ perEndpointLimit: 2 }));
    try {
      await eventually(waitingForAdvisoryLock, 5_000, 'ingest waits for the seq lock');
      await claimer.end();
    } finally {
      await seq.end();
    }
    assert.deepEqual((await written).claimed, [], 'the cap is full');
    const leased = await rawQuery<{ n: number }>(
      p.url,
      `SELECT count(*)::int AS n FROM deliveries WHERE status = 3 AND endpoint_id = '${ep.id}'`,
    );
    assert.equal(leased[0].n, 2);
  });
});
