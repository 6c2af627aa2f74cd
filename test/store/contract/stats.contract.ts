import type { EndpointId } from '../../../src/ids.js';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { DeliveryOutcome, Store } from '../../../src/store/store.js';
import { FAIL, SUCCESS, T0, attemptIn, claim, mkApp, mkEndpoint, mkMessages, msgIn } from './fixtures.js';

const MINUTE = 60_000;

/**
 * Two apps, delivered over two minutes from T0 (a whole minute), every attempt's ID made at its
 * own time as the engine makes it:
 * - app A, endpoints a and b; m0 (type x) at T0, m1 (type y) at T0:
 *   m0→a succeeds at T0+1s; m0→b fails at T0+2s, then fails for good at T0+65s;
 *   m1→a fails at T0+3s, then succeeds at T0+70s; m1→b is never attempted.
 * - app B, endpoint c: m2 (type x) at T0+60s succeeds at T0+61s; then c is disabled.
 * - an attempt of app A at T0+130s, outside every range the cases read.
 */
export async function deliveredTwoMinutes(s: Store) {
  const appA = await mkApp(s, { name: 'Alpha' });
  const appB = await mkApp(s, { name: 'Beta' });
  const a = await mkEndpoint(s, appA.id);
  const b = await mkEndpoint(s, appA.id);
  const [m0, m1] = await mkMessages(s, [
    msgIn(appA.id, { eventType: 'x', now: T0 }),
    msgIn(appA.id, { eventType: 'y', now: T0 }),
  ]);
  const outcome = (
    c: { delivery: { id: string }; endpoint: { id: EndpointId } },
    status: 0 | 2,
    at: number,
    next: DeliveryOutcome['next'],
  ): DeliveryOutcome => ({
    deliveryId: c.delivery.id,
    owner: 'worker-1',
    attempt: attemptIn(status, at),
    next,
    endpointUpdate: { endpointId: c.endpoint.id, failed: status === FAIL, disable: false, now: at },
  });
  const first = await claim(s, { now: T0 });
  const row = (rows: typeof first, msg: string, ep: string) =>
    rows.find((c) => c.message.id === msg && c.endpoint.id === ep)!;
  /** Complete `done`, hand every other row of the claim back. */
  const settle = async (rows: typeof first, done: DeliveryOutcome[]) => {
    await s.completeDeliveries(done);
    const rest = rows.map((c) => c.delivery.id).filter((id) => !done.some((o) => o.deliveryId === id));
    await s.releaseDeliveries(rest, 'worker-1');
  };
  await settle(first, [
    outcome(row(first, m0.id, a.id), SUCCESS, T0 + 1000, { kind: 'success' }),
    outcome(row(first, m0.id, b.id), FAIL, T0 + 2000, { kind: 'retry', at: T0 + 60_000 }),
    outcome(row(first, m1.id, a.id), FAIL, T0 + 3000, { kind: 'retry', at: T0 + 60_000 }),
  ]);
  const second = await claim(s, { now: T0 + 60_000 });
  const m0bFinal = outcome(row(second, m0.id, b.id), FAIL, T0 + 65_000, { kind: 'fail' });
  await settle(second, [m0bFinal, outcome(row(second, m1.id, a.id), SUCCESS, T0 + 70_000, { kind: 'success' })]);

  const c = await mkEndpoint(s, appB.id);
  const [m2] = await mkMessages(s, [msgIn(appB.id, { eventType: 'x', now: T0 + 60_000 })]);
  const third = await claim(s, { now: T0 + 60_000 });
  await settle(third, [outcome(row(third, m2.id, c.id), SUCCESS, T0 + 61_000, { kind: 'success' })]);
  await s.updateEndpoint(appB.id, c.id, { disabled: true }, T0 + 62_000);

  const [late] = await mkMessages(s, [msgIn(appA.id, { eventType: 'x', now: T0 + 129_000 })]);
  const fourth = await claim(s, { now: T0 + 129_000 });
  await settle(fourth, [outcome(row(fourth, late.id, a.id), SUCCESS, T0 + 130_000, { kind: 'success' })]);
  return { appA, appB, a, b, c, m0, m1, m2, m0bFinal };
}

/** Attempt statistics per app, and every app's deliveries per minute and latency. */
export function statsContract(s: () => Store): void {
  const twoMinutes = { since: T0, until: T0 + 2 * MINUTE };

  it("counts an app's attempts per bucket, by endpoint and by event type", async () => {
    const { appA, appB, a } = await deliveredTwoMinutes(s());
    assert.deepEqual(await s().attemptHistogram(appA.id, { ...twoMinutes, bucketMs: MINUTE }), [
      { bucket: 0, success: 1, failure: 2 },
      { bucket: 1, success: 1, failure: 1 },
    ]);
    assert.deepEqual(await s().attemptHistogram(appA.id, { ...twoMinutes, bucketMs: MINUTE, endpointId: a.id }), [
      { bucket: 0, success: 1, failure: 1 },
      { bucket: 1, success: 1, failure: 0 },
    ]);
    assert.deepEqual(await s().attemptHistogram(appA.id, { ...twoMinutes, bucketMs: MINUTE, eventTypes: ['y'] }), [
      { bucket: 0, success: 0, failure: 1 },
      { bucket: 1, success: 1, failure: 0 },
    ]);
    assert.deepEqual(
      await s().attemptHistogram(appA.id, { since: T0 + 1500, until: T0 + 65_000, bucketMs: 5 * MINUTE }),
      [{ bucket: 0, success: 0, failure: 2 }],
      'the range is exact to the millisecond: T0+1s is out, T0+65s is out',
    );
    assert.deepEqual(await s().attemptHistogram(appB.id, { ...twoMinutes, bucketMs: 2 * MINUTE }), [
      { bucket: 0, success: 1, failure: 0 },
    ]);
    assert.deepEqual(
      await s().attemptHistogram(appB.id, { since: T0 + 3 * MINUTE, until: T0 + 4 * MINUTE, bucketMs: MINUTE }),
      [],
    );
  });

  it("counts an app's attempts by event type", async () => {
    const { appA, b } = await deliveredTwoMinutes(s());
    assert.deepEqual(await s().attemptCountsByEventType(appA.id, twoMinutes), [
      { eventType: 'x', success: 1, failure: 2 },
      { eventType: 'y', success: 1, failure: 1 },
    ]);
    assert.deepEqual(
      await s().attemptCountsByEventType(appA.id, { ...twoMinutes, eventTypes: ['x'], endpointId: b.id }),
      [{ eventType: 'x', success: 0, failure: 2 }],
    );
    assert.deepEqual(
      await s().attemptCountsByEventType(appA.id, { since: T0 + 3 * MINUTE, until: T0 + 4 * MINUTE }),
      [],
    );
  });

  it("counts every app's deliveries per minute: succeeded, failed for good, retrying", async () => {
    await deliveredTwoMinutes(s());
    assert.deepEqual(await s().deliveryMinutes(twoMinutes), [
      { minute: T0, succeeded: 1, failed: 0, retrying: 2 },
      { minute: T0 + MINUTE, succeeded: 2, failed: 1, retrying: 0 },
    ]);
    assert.deepEqual(await s().deliveryMinutes({ since: T0 + MINUTE, until: T0 + 66_000 }), [
      { minute: T0 + MINUTE, succeeded: 1, failed: 1, retrying: 0 },
    ]);
    assert.deepEqual(await s().deliveryMinutes({ since: T0 - MINUTE, until: T0 }), []);
  });

  it("measures latency from when the message was due to its delivery's first attempt (nearest rank)", async () => {
    await deliveredTwoMinutes(s());
    // First attempts: m0→a 1 s, m0→b 2 s, m1→a 3 s, m2→c 1 s; the retries do not count.
    assert.deepEqual(await s().deliveryLatency(twoMinutes), { count: 4, p50: 1000, p99: 3000 });
    assert.deepEqual(await s().deliveryLatency({ since: T0 + 1500, until: T0 + 2 * MINUTE }), {
      count: 3,
      p50: 2000,
      p99: 3000,
    });
    assert.deepEqual(await s().deliveryLatency({ since: T0 + 2 * MINUTE, until: T0 + 2 * MINUTE + 1 }), {
      count: 0,
      p50: null,
      p99: null,
    });
  });
}
