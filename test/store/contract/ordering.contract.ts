import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ClaimedDelivery, DeliveryOutcome, Store } from '../../../src/store/store.js';
import { FAIL, PENDING, T0, attemptIn, claim, deliveryOf, mkApp, mkEndpoint, mkMessages, msgIn } from './fixtures.js';

/**
 * Ordered delivery per key: an ordered endpoint's rows of one key go one at a time, in the order
 * they were accepted; a head that retries or failed for good holds its key only; an operator can
 * skip the head or retry it now; turning ordering off lets everything waiting go.
 */
export function orderingContract(s: () => Store): void {
  const outcome = (c: ClaimedDelivery, next: DeliveryOutcome['next'], now: number): DeliveryOutcome => ({
    deliveryId: c.delivery.id,
    owner: 'worker-1',
    attempt: attemptIn(next.kind === 'success' ? 0 : 2, now),
    next,
    ordered: c.endpoint.ordered,
  });

  it('sends each key one message at a time, in acceptance order; a retrying head holds its key only', async () => {
    const app = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id, { ordered: true });
    const at = T0 + 80_000_000;
    const keys = ['a', 'a', 'b', 'a', null, null];
    const msgs = await mkMessages(
      s(),
      keys.map((orderingKey, i) => msgIn(app.id, { now: at + i, deliverAt: at + i, orderingKey })),
    );
    const name = (c: ClaimedDelivery) => msgs.findIndex((m) => m.id === c.message.id);
    const take = async (now: number) => (await claim(s(), { now, limit: 100 })).filter((c) => c.endpoint.id === ep.id);

    let now = at + 1000;
    const first = await take(now);
    assert.deepEqual(first.map(name).sort(), [0, 2, 4], 'the head of a, of b, and of the no-key sequence');
    assert.equal((await deliveryOf(s(), app.id, msgs[1].id, ep.id)).status, PENDING, 'a2 waits');

    // a1 succeeds → a2 goes; b1 will retry → b holds (nothing behind it anyway); the no-key head fails for good.
    const byName = new Map(first.map((c) => [name(c), c]));
    await s().completeDeliveries([
      outcome(byName.get(0)!, { kind: 'success' }, ++now),
      outcome(byName.get(2)!, { kind: 'retry', at: now + 60_000 }, now),
      outcome(byName.get(4)!, { kind: 'fail', reason: 'http_status' }, now),
    ]);
    const second = await take(++now);
    assert.deepEqual(
      second.map(name),
      [1],
      'a2 alone: b1 retries later, the no-key sequence is blocked by its failed head',
    );

    // a2 fails for good: a3 stays behind it until an operator acts.
    await s().completeDeliveries([outcome(second[0], { kind: 'fail', reason: 'timeout' }, ++now)]);
    assert.deepEqual((await take(++now)).map(name), []);

    assert.deepEqual(await s().retryOrderHead(ep.id, 'zzz', now), { ok: false, reason: 'no_head' });
    assert.deepEqual(await s().skipOrderHead(ep.id, 'a', ++now), { ok: true, msgId: msgs[1].id });
    const a2 = await deliveryOf(s(), app.id, msgs[1].id, ep.id);
    assert.equal(a2.status, FAIL, 'the skipped head stays failed');
    const third = await take(++now);
    assert.deepEqual(third.map(name), [3], 'a3 goes once a2 was skipped');

    // Retry now: the failed no-key head is due again, schedule started over.
    assert.deepEqual(await s().retryOrderHead(ep.id, '', ++now), { ok: true, msgId: msgs[4].id });
    const retried = await deliveryOf(s(), app.id, msgs[4].id, ep.id);
    assert.deepEqual([retried.status, retried.attemptCount, retried.nextAttemptAt], [PENDING, 0, now]);
    assert.deepEqual((await take(++now)).map(name), [4]);
    assert.deepEqual(await s().retryOrderHead(ep.id, '', ++now), { ok: false, reason: 'sending' });
  });

  it("an outcome commit that claims takes its keys' next rows itself, up to its free slots; the rest are left due", async () => {
    const app = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id, { ordered: true });
    const at = T0 + 90_000_000;
    const keys = ['a', 'b', 'c', 'a', 'b', 'c'];
    const msgs = await mkMessages(
      s(),
      keys.map((orderingKey, i) => msgIn(app.id, { now: at + i, deliverAt: at + i, orderingKey })),
    );
    const name = (c: ClaimedDelivery) => msgs.findIndex((m) => m.id === c.message.id);
    let now = at + 1000;
    const heads = await claim(s(), { now, limit: 100 });
    assert.deepEqual(heads.map(name).sort(), [0, 1, 2]);

    // Three heads succeed; the worker has room for two more: two of a2, b2, c2 come back leased to it.
    now++;
    const request = { owner: 'worker-1', limit: 2, leaseMs: 60_000, now, perEndpointLimit: 100 };
    const next = await s().completeAndClaim(
      heads.map((c) => outcome(c, { kind: 'success' }, now)),
      request,
    );
    assert.equal(next.length, 2);
    for (const c of next) assert.ok([3, 4, 5].includes(name(c)), `a next row, not ${name(c)}`);
    const left = [3, 4, 5].find((i) => !next.some((c) => name(c) === i))!;
    assert.equal((await deliveryOf(s(), app.id, msgs[left].id, ep.id)).status, PENDING, 'the third is due, not leased');
    // Leased to worker-1: another worker's claim finds only the third; worker-1's outcomes for the two are accepted.
    const other = await claim(s(), { owner: 'worker-2', now: ++now, limit: 100 });
    assert.deepEqual(other.map(name), [left]);
    await s().completeDeliveries(next.map((c) => outcome(c, { kind: 'success' }, ++now)));
    for (const c of next) assert.equal((await deliveryOf(s(), app.id, c.message.id, ep.id)).status, 0, 'succeeded');
  });

  it('an unordered endpoint of the same app gets every message at once; turning ordering off frees the waiting', async () => {
    const app = await mkApp(s());
    const ordered = await mkEndpoint(s(), app.id, { ordered: true });
    const plain = await mkEndpoint(s(), app.id);
    const at = T0 + 90_000_000;
    await mkMessages(
      s(),
      [0, 1, 2].map((i) => msgIn(app.id, { now: at + i, deliverAt: at + i, orderingKey: 'k' })),
    );
    const first = await claim(s(), { now: at + 1000, limit: 100 });
    const count = (list: ClaimedDelivery[], id: string) => list.filter((c) => c.endpoint.id === id).length;
    assert.deepEqual([count(first, plain.id), count(first, ordered.id)], [3, 1]);
    await s().updateEndpoint(app.id, ordered.id, { ordered: false }, at + 2000);
    const rest = await claim(s(), { now: at + 3000, limit: 100 });
    assert.equal(count(rest, ordered.id), 2, 'both waiting rows are due once ordering is off');
  });
}
