import type { EndpointId, MessageId } from '../../../src/ids.js';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Store } from '../../../src/store/store.js';
import {
  PENDING,
  SUCCESS,
  T0,
  attemptIn,
  claim,
  deliveryOf,
  mkApp,
  mkEndpoint,
  mkMessages,
  msgIn,
  pq,
  setupDeliveries,
} from './fixtures.js';

/** Controlling the queue from outside the claim loop: release, next due time, resend (recover: background-tasks.contract.ts). */
export function queueControlContract(s: () => Store): void {
  it('releases leased rows without an attempt, only for their owner', async () => {
    const { app, eps, msgs } = await setupDeliveries(s(), 1, 2);
    const claimed = await claim(s(), { owner: 'w1', now: T0 + 10 });
    await s().releaseDeliveries(
      claimed.map((c) => c.delivery.id),
      'someone-else',
    );
    assert.deepEqual(await claim(s(), { owner: 'w2', now: T0 + 11 }), []);
    await s().releaseDeliveries(
      claimed.map((c) => c.delivery.id),
      'w1',
    );
    const d = await deliveryOf(s(), app.id, msgs[0].id, eps[0].id);
    assert.deepEqual([d.status, d.attemptCount], [PENDING, 0]);
    const reclaimed = await claim(s(), { owner: 'w2', now: T0 + 12 });
    assert.equal(reclaimed.length, 2);
    assert.equal((await s().listAttemptsByEndpoint(app.id, eps[0].id, pq(), {})).data.length, 0);
    await s().releaseDeliveries([], 'w2');
  });

  it('reports the next due time: pending rows by schedule, leased rows by lease expiry', async () => {
    assert.equal(await s().nextDueAt(), null);
    const app = await mkApp(s());
    await mkEndpoint(s(), app.id);
    await mkMessages(s(), [msgIn(app.id, { deliverAt: T0 + 500 }), msgIn(app.id, { deliverAt: T0 + 200 })]);
    assert.equal(await s().nextDueAt(), T0 + 200);
    await claim(s(), { now: T0 + 300, leaseMs: 10_000 });
    assert.equal(await s().nextDueAt(), T0 + 500);
    await claim(s(), { now: T0 + 600, leaseMs: 100 });
    assert.equal(await s().nextDueAt(), T0 + 700);
  });

  it('reports the next due time as the earliest over every enabled endpoint, skipping disabled ones', async () => {
    const a = await mkApp(s());
    await mkEndpoint(s(), a.id);
    await mkMessages(s(), [msgIn(a.id, { deliverAt: T0 + 400 })]);
    const off = await mkApp(s());
    const offEp = await mkEndpoint(s(), off.id);
    await mkMessages(s(), [msgIn(off.id, { deliverAt: T0 + 100 })]);
    assert.equal(await s().nextDueAt(), T0 + 100);
    await s().updateEndpoint(off.id, offEp.id, { disabled: true }, T0);
    assert.equal(await s().nextDueAt(), T0 + 400);
    const b = await mkApp(s());
    await mkEndpoint(s(), b.id);
    await mkMessages(s(), [msgIn(b.id, { deliverAt: T0 + 300 }), msgIn(b.id, { deliverAt: T0 + 250 })]);
    assert.equal(await s().nextDueAt(), T0 + 250);
  });

  it('resends one (message, endpoint) as a manual attempt, creating the row if needed', async () => {
    const { app, eps, msgs } = await setupDeliveries(s(), 1, 1);
    const [c] = await claim(s(), { now: T0 + 1 });
    await s().completeDeliveries([
      { deliveryId: c.delivery.id, owner: 'worker-1', attempt: attemptIn(SUCCESS, T0 + 2), next: { kind: 'success' } },
    ]);
    const resent = await s().resendDelivery(app.id, msgs[0].id, eps[0].id, T0 + 50);
    assert.ok(resent);
    assert.equal(resent.id, c.delivery.id);
    assert.deepEqual([resent.status, resent.nextAttemptAt], [PENDING, T0 + 50]);
    const [manual] = await claim(s(), { now: T0 + 50 });
    assert.equal(manual.triggerType, 1);
    assert.equal(manual.delivery.id, c.delivery.id);

    // An endpoint created after the message never had a row: resend creates one.
    const late = await mkEndpoint(s(), app.id);
    const created = await s().resendDelivery(app.id, msgs[0].id, late.id, T0 + 60);
    assert.ok(created);
    assert.deepEqual(
      [created.status, created.msgId, created.endpointId, created.nextAttemptAt],
      [PENDING, msgs[0].id, late.id, T0 + 60],
    );
    const [fresh] = await claim(s(), { now: T0 + 60 });
    assert.deepEqual([fresh.delivery.id, fresh.triggerType], [created.id, 1]);

    assert.equal(await s().resendDelivery(app.id, 'msg_missing' as MessageId, eps[0].id, T0), null);
    assert.equal(await s().resendDelivery(app.id, msgs[0].id, 'ep_missing' as EndpointId, T0), null);
    const other = await mkApp(s());
    assert.equal(await s().resendDelivery(other.id, msgs[0].id, eps[0].id, T0), null);
  });
}
