import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { createTestDatabase, postgresAvailable } from '../../support/postgres.js';
import { SUCCESS, T0, attemptIn, claim, mkApp, mkEndpoint, mkMessages, msgIn } from '../contract/fixtures.js';
import type { ClaimedDelivery, ClaimRequest, DeliveryOutcome } from '../../../src/store/store.js';
import type { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { eventually, rawQuery, twoProcesses } from './postgres-test-harness.js';

/**
 * An outcome commit that claims while a backlog waits runs its claim beside the commit, on a
 * connection of its own (outbox-complete.ts): what the contract suite cannot tell apart from one
 * after the other.
 */
const available = await postgresAvailable();

describe('PostgreSQL outcome commits that claim beside them', { skip: !available }, () => {
  const p = twoProcesses(() => createTestDatabase('hr_pgoutclaim'));
  const CAP = 5;
  const request = (now: number): ClaimRequest => ({
    owner: 'w',
    limit: CAP,
    perEndpointLimit: CAP,
    leaseMs: 60_000,
    now,
  });
  const succeeded = (rows: ClaimedDelivery[], now: number, response = 'ok'): DeliveryOutcome[] =>
    rows.map((c) => ({
      deliveryId: c.delivery.id,
      owner: 'w',
      attempt: attemptIn(SUCCESS, now, { response }),
      next: { kind: 'success' as const },
      endpointUpdate: { endpointId: c.endpoint.id, failed: false, disable: false, now },
    }));
  const byStatus = async () =>
    Object.fromEntries(
      (
        await rawQuery<{ status: number; n: number }>(
          p.url,
          'SELECT status, count(*)::int AS n FROM deliveries GROUP BY status ORDER BY status',
        )
      ).map((r) => [r.status, r.n]),
    );

  /** 20 rows for one endpoint, CAP leased, then one commit whose claim fills the cap: a backlog. */
  async function backlogged(store: PostgresStore): Promise<ClaimedDelivery[]> {
    const app = await mkApp(store);
    await mkEndpoint(store, app.id);
    await mkMessages(
      store,
      Array.from({ length: 20 }, () => msgIn(app.id)),
    );
    const first = await claim(store, request(T0 + 1));
    const next = await store.completeAndClaim(succeeded(first, T0 + 2), request(T0 + 2));
    assert.equal(next.length, CAP);
    return next;
  }

  it("counts the batch's rows as settling: a claim that reads before the commit still refills the cap", async () => {
    const held = await backlogged(p.a);
    // The commit waits on one of the batch's rows, held here: the claim beside it sees the batch
    // still leased.
    const blocker = new pg.Client({ connectionString: p.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT id FROM deliveries WHERE id = $1 FOR NO KEY UPDATE', [held[CAP - 1].delivery.id]);
      const call = p.a.completeAndClaim(succeeded(held, T0 + 3), request(T0 + 3));
      const sending = async () => (await byStatus())[3] ?? 0;
      await eventually(async () => (await sending()) >= 2 * CAP, 2_000, 'the claim beside the waiting commit');
      assert.equal(await sending(), 2 * CAP, 'the claim leased beside the waiting commit');
      await blocker.query('COMMIT');
      const next = await call;
      assert.equal(next.length, CAP);
      assert.equal(new Set([...held, ...next].map((c) => c.delivery.id)).size, 2 * CAP);
    } finally {
      await blocker.end();
    }
    assert.deepEqual(await byStatus(), { 0: 2 * CAP, 1: 20 - 3 * CAP, 3: CAP });
  });

  it('a commit that fails gives back what its claim leased, and the call fails', async () => {
    const held = await backlogged(p.a);
    // PostgreSQL's text cannot hold NUL: the commit fails after the claim beside it leased.
    await assert.rejects(p.a.completeAndClaim(succeeded(held, T0 + 3, 'a\u0000'), request(T0 + 3)));
    assert.deepEqual(await byStatus(), { 0: CAP, 1: 20 - 2 * CAP, 3: CAP });
    const leased = await rawQuery<{ id: string }>(p.url, 'SELECT id FROM deliveries WHERE status = 3 ORDER BY id');
    assert.deepEqual(
      leased.map((r) => r.id),
      held.map((c) => c.delivery.id).sort(),
    );
  });
});
