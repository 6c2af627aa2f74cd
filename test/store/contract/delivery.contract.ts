import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Store } from '../../../src/store/store.js';
import {
  FAIL,
  PENDING,
  SENDING,
  SUCCESS,
  T0,
  attemptIn,
  claim,
  mkApp,
  mkEndpoint,
  mkMessages,
  msgIn,
  pq,
  sorted,
  deliveryOf,
  setupDeliveries,
} from './fixtures.js';

/** The delivery engine's side of the store: claims, leases, outcomes, endpoint health (queue-control.contract.ts has the rest). */
export function deliveryContract(s: () => Store): void {
  it('claims due rows with their message and endpoint (secrets in plaintext), leasing them', async () => {
    const { app, eps, msgs } = await setupDeliveries(s(), 1, 2);
    assert.equal(await s().queueDepth(), 2);
    const claimed = await claim(s(), { now: T0 + 10, leaseMs: 30_000 });
    assert.equal(claimed.length, 2);
    assert.deepEqual(sorted(claimed.map((c) => c.message.id)), sorted(msgs.map((m) => m.id)));
    const c = claimed.find((x) => x.message.id === msgs[0].id)!;
    assert.deepEqual(c.message, {
      id: msgs[0].id,
      eventType: msgs[0].eventType,
      eventId: null,
      channels: null,
      payload: msgs[0].payload,
      createdAt: T0,
      traceContext: null,
    });
    assert.deepEqual(c.endpoint, eps[0]);
    assert.equal(c.triggerType, 0);
    assert.equal(c.delivery.status, SENDING);
    assert.equal(c.delivery.msgId, msgs[0].id);
    assert.equal(c.delivery.endpointId, eps[0].id);
    assert.equal(c.delivery.appId, app.id);
    assert.equal(c.delivery.attemptCount, 0);
    // Leased rows are not claimable by anyone until the lease ends; they still count as queued.
    assert.deepEqual(await claim(s(), { owner: 'worker-2', now: T0 + 29_999 }), []);
    assert.equal(await s().queueDepth(), 2);
    assert.equal((await deliveryOf(s(), app.id, msgs[0].id, eps[0].id)).status, SENDING);
  });

  it('queueStats: depth, the oldest row already due, and leases that ran out unfinished', async () => {
    const { msgs } = await setupDeliveries(s(), 1, 3);
    assert.deepEqual(
      await s().queueStats(T0 - 1),
      { depth: 3, oldestDueAt: null, expiredLeases: 0 },
      'nothing due yet',
    );
    assert.deepEqual(await s().queueStats(T0 + 1), { depth: 3, oldestDueAt: T0, expiredLeases: 0 });
    const [first] = await claim(s(), { now: T0 + 10, leaseMs: 1000, limit: 1 });
    assert.equal(first.message.id, msgs[0].id);
    assert.deepEqual(
      await s().queueStats(T0 + 10),
      { depth: 3, oldestDueAt: T0 + 1, expiredLeases: 0 },
      'a leased row is not pending',
    );
    assert.deepEqual(await s().queueStats(T0 + 1011), { depth: 3, oldestDueAt: T0 + 1, expiredLeases: 1 });
  });

  it('claims at most limit rows, oldest due first, and nothing that is not due yet', async () => {
    const app = await mkApp(s());
    await mkEndpoint(s(), app.id);
    const msgs = await mkMessages(s(), [
      msgIn(app.id, { deliverAt: T0 + 30 }),
      msgIn(app.id, { deliverAt: T0 + 10 }),
      msgIn(app.id, { deliverAt: T0 + 20 }),
      msgIn(app.id, { deliverAt: T0 + 5_000 }),
    ]);
    assert.deepEqual(await claim(s(), { now: T0 }), []);
    const first = await claim(s(), { now: T0 + 100, limit: 2 });
    assert.deepEqual(sorted(first.map((c) => c.message.id)), sorted([msgs[1].id, msgs[2].id]));
    const second = await claim(s(), { now: T0 + 100, limit: 2 });
    assert.deepEqual(
      second.map((c) => c.message.id),
      [msgs[0].id],
    );
    assert.deepEqual(
      (await claim(s(), { now: T0 + 5_000 })).map((c) => c.message.id),
      [msgs[3].id],
    );
  });

  it('caps leased rows per endpoint, counting leases already held by anyone', async () => {
    const app = await mkApp(s());
    const a = await mkEndpoint(s(), app.id, { filterTypes: ['a'] });
    const b = await mkEndpoint(s(), app.id, { filterTypes: ['b'] });
    // A's backlog is older than B's: B must still get its share.
    await mkMessages(
      s(),
      Array.from({ length: 6 }, (_, i) => msgIn(app.id, { eventType: 'a', deliverAt: T0 + i })),
    );
    await mkMessages(
      s(),
      Array.from({ length: 3 }, (_, i) => msgIn(app.id, { eventType: 'b', deliverAt: T0 + 100 + i })),
    );
    const first = await claim(s(), { now: T0 + 1000, limit: 10, perEndpointLimit: 2 });
    const count = (cs: typeof first, ep: string) => cs.filter((c) => c.endpoint.id === ep).length;
    assert.equal(count(first, a.id), 2);
    assert.equal(count(first, b.id), 2);
    assert.deepEqual(await claim(s(), { owner: 'worker-2', now: T0 + 1000, perEndpointLimit: 2 }), []);
    const oneA = first.find((c) => c.endpoint.id === a.id)!;
    await s().completeDeliveries([
      {
        deliveryId: oneA.delivery.id,
        owner: 'worker-1',
        attempt: attemptIn(SUCCESS, T0 + 1001),
        next: { kind: 'success' },
      },
    ]);
    const more = await claim(s(), { owner: 'worker-2', now: T0 + 1002, perEndpointLimit: 2 });
    assert.equal(more.length, 1);
    assert.equal(more[0].endpoint.id, a.id);
    // A higher cap lets the rest through.
    const rest = await claim(s(), { owner: 'worker-3', now: T0 + 1003, perEndpointLimit: 100 });
    assert.equal(count(rest, a.id), 3);
    assert.equal(count(rest, b.id), 1);
  });

  it("a claim does not count the claimer's settling rows (outcome not yet written) against the cap", async () => {
    const app = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id);
    await mkMessages(
      s(),
      Array.from({ length: 6 }, (_, i) => msgIn(app.id, { deliverAt: T0 + i })),
    );
    assert.equal((await claim(s(), { now: T0 + 100, perEndpointLimit: 2 })).length, 2);
    assert.deepEqual(await claim(s(), { now: T0 + 101, perEndpointLimit: 2 }), [], 'at the cap');
    const settling = new Map([[ep.id as string, 1]]);
    const more = await claim(s(), { now: T0 + 102, perEndpointLimit: 2, settling });
    assert.equal(more.length, 1, 'one request over: one more row, not the whole backlog');
    assert.equal(more[0].endpoint.id, ep.id);
  });

  it('completeAndClaim applies the outcomes, then claims with the leases they freed counted', async () => {
    const app = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id);
    const msgs = await mkMessages(
      s(),
      Array.from({ length: 5 }, (_, i) => msgIn(app.id, { deliverAt: T0 + i })),
    );
    const first = await claim(s(), { now: T0 + 100, perEndpointLimit: 2 });
    assert.deepEqual(
      first.map((c) => c.message.id),
      [msgs[0].id, msgs[1].id],
    );
    const next = await s().completeAndClaim(
      [
        {
          deliveryId: first[0].delivery.id,
          owner: 'worker-1',
          attempt: attemptIn(SUCCESS, T0 + 150),
          next: { kind: 'success' },
          endpointUpdate: { endpointId: ep.id, failed: false, disable: false, now: T0 + 150 },
        },
      ],
      { owner: 'worker-1', limit: 10, leaseMs: 60_000, now: T0 + 200, perEndpointLimit: 2 },
    );
    // One lease freed under a cap of 2: exactly one more row, the oldest still pending.
    assert.deepEqual(
      next.map((c) => c.message.id),
      [msgs[2].id],
    );
    assert.equal(next[0].delivery.status, SENDING);
    assert.equal((await deliveryOf(s(), app.id, msgs[0].id, ep.id)).status, SUCCESS);
    assert.equal((await s().listAttemptsByMessage(app.id, msgs[0].id, pq(), {})).data.length, 1);
    assert.equal(await s().queueDepth(), 4);
    // No outcomes: a plain claim (nothing freed, so nothing under the cap).
    assert.deepEqual(
      await s().completeAndClaim([], {
        owner: 'worker-1',
        limit: 10,
        leaseMs: 60_000,
        now: T0 + 300,
        perEndpointLimit: 2,
      }),
      [],
    );
  });

  it("does not let a capped endpoint's large backlog hide other endpoints' due rows", async () => {
    const app = await mkApp(s());
    const busy = await mkEndpoint(s(), app.id, { filterTypes: ['busy'] });
    const quiet = await mkEndpoint(s(), app.id, { filterTypes: ['quiet'] });
    const off = await mkEndpoint(s(), app.id, { filterTypes: ['off'] });
    await mkMessages(
      s(),
      Array.from({ length: 300 }, (_, i) => msgIn(app.id, { eventType: i % 2 ? 'busy' : 'off', deliverAt: T0 + i })),
    );
    await s().updateEndpoint(app.id, off.id, { disabled: true }, T0);
    const [late] = await mkMessages(s(), [msgIn(app.id, { eventType: 'quiet', deliverAt: T0 + 500 })]);
    const got = await claim(s(), { now: T0 + 1000, limit: 5, perEndpointLimit: 2 });
    assert.equal(got.filter((c) => c.endpoint.id === busy.id).length, 2);
    assert.deepEqual(
      got.filter((c) => c.endpoint.id === quiet.id).map((c) => c.message.id),
      [late.id],
    );
    assert.equal(got.length, 3);
  });

  it('reclaims rows whose lease expired; only the current lease holder moves a row', async () => {
    const { app, eps, msgs } = await setupDeliveries(s(), 1, 1);
    const [c1] = await claim(s(), { owner: 'w1', now: T0, leaseMs: 1000 });
    assert.deepEqual(await claim(s(), { owner: 'w2', now: T0 + 999, leaseMs: 1000 }), []);
    const [c2] = await claim(s(), { owner: 'w2', now: T0 + 1000, leaseMs: 1000 });
    assert.equal(c2.delivery.id, c1.delivery.id);
    assert.equal(c2.delivery.status, SENDING);
    // w1 comes back late: its attempt is recorded, the row stays w2's.
    await s().completeDeliveries([
      { deliveryId: c1.delivery.id, owner: 'w1', attempt: attemptIn(FAIL, T0 + 1100), next: { kind: 'fail' } },
    ]);
    let d = await deliveryOf(s(), app.id, msgs[0].id, eps[0].id);
    assert.equal(d.status, SENDING);
    assert.equal((await s().listAttemptsByMessage(app.id, msgs[0].id, pq(), {})).data.length, 1);
    await s().completeDeliveries([
      { deliveryId: c2.delivery.id, owner: 'w2', attempt: attemptIn(SUCCESS, T0 + 1200), next: { kind: 'success' } },
    ]);
    d = await deliveryOf(s(), app.id, msgs[0].id, eps[0].id);
    assert.equal(d.status, SUCCESS);
    assert.equal(d.nextAttemptAt, null);
    assert.equal(d.lastAttemptAt, T0 + 1200);
    assert.equal(d.attemptCount, 1);
    assert.equal((await s().listAttemptsByMessage(app.id, msgs[0].id, pq(), {})).data.length, 2);
    assert.equal(await s().queueDepth(), 0);
    assert.equal(await s().nextDueAt(), null);
  });

  it('applies an outcome batch written twice once (a commit whose answer was lost is retried)', async () => {
    const { app, eps, msgs } = await setupDeliveries(s(), 1, 1);
    const [c] = await claim(s(), { owner: 'w', now: T0 + 10 });
    const batch = [
      {
        deliveryId: c.delivery.id,
        owner: 'w',
        attempt: attemptIn(FAIL, T0 + 20),
        next: { kind: 'retry' as const, at: T0 + 5_000 },
      },
    ];
    await s().completeDeliveries(batch);
    await s().completeDeliveries(batch);
    const d = await deliveryOf(s(), app.id, msgs[0].id, eps[0].id);
    assert.deepEqual([d.status, d.attemptCount, d.nextAttemptAt], [PENDING, 1, T0 + 5_000]);
    assert.equal((await s().listAttemptsByMessage(app.id, msgs[0].id, pq(), {})).data.length, 1);
  });

  it('applies retry, fail and defer outcomes in one batch', async () => {
    const { app, eps, msgs } = await setupDeliveries(s(), 1, 3);
    const claimed = await claim(s(), { owner: 'w', now: T0 + 10 });
    const byMsg = (i: number) => claimed.find((c) => c.message.id === msgs[i].id)!;
    await s().completeDeliveries([
      {
        deliveryId: byMsg(0).delivery.id,
        owner: 'w',
        attempt: attemptIn(FAIL, T0 + 20),
        next: { kind: 'retry', at: T0 + 5_000 },
      },
      { deliveryId: byMsg(1).delivery.id, owner: 'w', attempt: attemptIn(FAIL, T0 + 20), next: { kind: 'fail' } },
      { deliveryId: byMsg(2).delivery.id, owner: 'w', next: { kind: 'defer', at: T0 + 3_000 } },
    ]);
    const retry = await deliveryOf(s(), app.id, msgs[0].id, eps[0].id);
    assert.deepEqual(
      [retry.status, retry.nextAttemptAt, retry.attemptCount, retry.lastAttemptAt],
      [PENDING, T0 + 5_000, 1, T0 + 20],
    );
    const fail = await deliveryOf(s(), app.id, msgs[1].id, eps[0].id);
    assert.deepEqual([fail.status, fail.attemptCount], [FAIL, 1]);
    const defer = await deliveryOf(s(), app.id, msgs[2].id, eps[0].id);
    assert.deepEqual([defer.status, defer.nextAttemptAt, defer.attemptCount], [PENDING, T0 + 3_000, 0]);
    assert.equal((await s().listAttemptsByMessage(app.id, msgs[2].id, pq(), {})).data.length, 0);
    assert.equal(await s().queueDepth(), 2);
    assert.equal(await s().nextDueAt(), T0 + 3_000);
    assert.deepEqual((await claim(s(), { now: T0 + 2_999 })).length, 0);
    assert.deepEqual(
      (await claim(s(), { now: T0 + 3_000 })).map((c) => c.message.id),
      [msgs[2].id],
    );
    const again = await claim(s(), { now: T0 + 5_000 });
    assert.deepEqual(
      again.map((c) => c.message.id),
      [msgs[0].id],
    );
    assert.equal(again[0].delivery.attemptCount, 1);
  });

  it('keeps endpoint health: failingSince starts once, success clears it, disable stops claims', async () => {
    const { app, eps, msgs } = await setupDeliveries(s(), 2, 3);
    const [ep, ep2] = eps;
    const claimed = (await claim(s(), { now: T0 + 10 })).filter((c) => c.endpoint.id === ep.id);
    const fail = (i: number, now: number, disable = false) => ({
      deliveryId: claimed[i].delivery.id,
      owner: 'worker-1',
      attempt: attemptIn(FAIL, now),
      next: { kind: 'retry' as const, at: now + 1 },
      endpointUpdate: { endpointId: ep.id, failed: true, disable, now },
    });
    await s().completeDeliveries([fail(0, T0 + 100)]);
    assert.equal((await s().getEndpoint(app.id, ep.id))?.failingSince, T0 + 100);
    await s().completeDeliveries([fail(1, T0 + 200)]);
    assert.equal((await s().getEndpoint(app.id, ep.id))?.failingSince, T0 + 100);
    await s().completeDeliveries([
      {
        deliveryId: claimed[2].delivery.id,
        owner: 'worker-1',
        attempt: attemptIn(SUCCESS, T0 + 300),
        next: { kind: 'success' },
        endpointUpdate: { endpointId: ep.id, failed: false, disable: false, now: T0 + 300 },
      },
    ]);
    assert.equal((await s().getEndpoint(app.id, ep.id))?.failingSince, null);
    assert.equal((await s().getEndpoint(app.id, ep.id))?.disabled, false);

    const [again] = (await claim(s(), { now: T0 + 400 })).filter((c) => c.endpoint.id === ep.id);
    await s().completeDeliveries([
      {
        deliveryId: again.delivery.id,
        owner: 'worker-1',
        attempt: attemptIn(FAIL, T0 + 500, { responseStatusCode: 410 }),
        next: { kind: 'retry', at: T0 + 501 },
        endpointUpdate: { endpointId: ep.id, failed: true, disable: true, now: T0 + 500 },
      },
    ]);
    const disabled = await s().getEndpoint(app.id, ep.id);
    assert.equal(disabled?.disabled, true);
    assert.equal(disabled?.failingSince, T0 + 500);
    assert.deepEqual(await claim(s(), { now: T0 + 10_000 }), []);
    // Re-enabled, its pending rows flow again; the other endpoint was never affected.
    await s().updateEndpoint(app.id, ep.id, { disabled: false }, T0 + 10_001);
    assert.equal((await claim(s(), { now: T0 + 10_002 })).length, 1);
    assert.equal((await deliveryOf(s(), app.id, msgs[0].id, ep2.id)).status, SENDING);
  });
}
