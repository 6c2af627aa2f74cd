import assert from 'node:assert/strict';
import { it } from 'node:test';
import { newId } from '../../../src/ids.js';
import type { Store } from '../../../src/store/store.js';
import {
  FAIL,
  PENDING,
  SUCCESS,
  T0,
  attemptIn,
  claim,
  ids,
  mkApp,
  mkEndpoint,
  mkMessages,
  msgIn,
  pq,
  walk,
} from './fixtures.js';

/** Attempt logs, delivery views, stats, retention and cascading deletes. */
export function viewsContract(s: () => Store): void {
  /** Two endpoints, three messages; attempts: m0→A 200, m0→B 500, m1→A 503 then 204, m2→B no response. */
  async function history() {
    const app = await mkApp(s());
    const a = await mkEndpoint(s(), app.id);
    const b = await mkEndpoint(s(), app.id);
    const msgs = await mkMessages(s(), [
      msgIn(app.id, { eventType: 'x', channels: ['eu'], now: T0 }),
      msgIn(app.id, { eventType: 'y', channels: null, now: T0 + 10 }),
      msgIn(app.id, { eventType: 'x', channels: ['us'], now: T0 + 20 }),
    ]);
    const claimed = await claim(s(), { now: T0 + 100 });
    const row = (m: number, ep: string) =>
      claimed.find((c) => c.message.id === msgs[m].id && c.endpoint.id === ep)!.delivery.id;
    const atts = {
      m0a: attemptIn(SUCCESS, T0 + 101, { responseStatusCode: 200 }),
      m0b: attemptIn(FAIL, T0 + 102, { responseStatusCode: 500 }),
      m1a: attemptIn(FAIL, T0 + 103, { responseStatusCode: 503 }),
      m2b: attemptIn(FAIL, T0 + 104, { responseStatusCode: 0, response: 'timeout' }),
    };
    await s().completeDeliveries([
      { deliveryId: row(0, a.id), owner: 'worker-1', attempt: atts.m0a, next: { kind: 'success' } },
      { deliveryId: row(0, b.id), owner: 'worker-1', attempt: atts.m0b, next: { kind: 'fail' } },
      { deliveryId: row(1, a.id), owner: 'worker-1', attempt: atts.m1a, next: { kind: 'retry', at: T0 + 200 } },
      { deliveryId: row(2, b.id), owner: 'worker-1', attempt: atts.m2b, next: { kind: 'fail' } },
    ]);
    const [retry] = await claim(s(), { now: T0 + 200 });
    const m1a2 = attemptIn(SUCCESS, T0 + 201, { responseStatusCode: 204 });
    await s().completeDeliveries([
      { deliveryId: retry.delivery.id, owner: 'worker-1', attempt: m1a2, next: { kind: 'success' } },
    ]);
    // m1→B and m2→A were never sent: hand them back, pending.
    await s().releaseDeliveries([row(1, b.id), row(2, a.id)], 'worker-1');
    return { app, a, b, msgs, atts: { ...atts, m1a2 } };
  }

  it("records attempts with their delivery's ids and lists them by endpoint and by message", async () => {
    const { app, a, b, msgs, atts } = await history();
    const byA = await s().listAttemptsByEndpoint(app.id, a.id, pq(), {});
    assert.deepEqual(ids(byA.data), [atts.m0a.id, atts.m1a.id, atts.m1a2.id]);
    const first = byA.data[0];
    assert.deepEqual(first, {
      id: atts.m0a.id,
      appId: app.id,
      msgId: msgs[0].id,
      endpointId: a.id,
      deliveryId: first.deliveryId,
      url: atts.m0a.url,
      status: SUCCESS,
      responseStatusCode: 200,
      response: 'ok',
      responseDurationMs: 12,
      triggerType: 0,
      createdAt: T0 + 101,
    });
    const dest = await s().listMessageDestinations(app.id, msgs[0].id, pq());
    assert.equal(dest.data.find((d) => d.endpoint.id === a.id)?.delivery.id, first.deliveryId);
    assert.deepEqual(ids((await s().listAttemptsByMessage(app.id, msgs[0].id, pq(), {})).data), [
      atts.m0a.id,
      atts.m0b.id,
    ]);
    assert.deepEqual(ids((await s().listAttemptsByMessage(app.id, msgs[0].id, pq(), { endpointId: b.id })).data), [
      atts.m0b.id,
    ]);
    const paged = await walk(
      (q) => s().listAttemptsByEndpoint(app.id, a.id, q, {}),
      (x) => x.id,
      2,
      'descending',
    );
    assert.deepEqual(paged, { seen: [atts.m1a2.id, atts.m1a.id, atts.m0a.id], pages: 2 });
    const other = await mkApp(s());
    assert.deepEqual((await s().listAttemptsByEndpoint(other.id, a.id, pq(), {})).data, []);
  });

  it('filters attempts by status, status code class, event type, channel and time', async () => {
    const { app, a, b, msgs, atts } = await history();
    const byB = async (f: Parameters<Store['listAttemptsByEndpoint']>[3]) =>
      ids((await s().listAttemptsByEndpoint(app.id, b.id, pq(), f)).data);
    const byA = async (f: Parameters<Store['listAttemptsByEndpoint']>[3]) =>
      ids((await s().listAttemptsByEndpoint(app.id, a.id, pq(), f)).data);
    assert.deepEqual(await byA({ status: SUCCESS }), [atts.m0a.id, atts.m1a2.id]);
    assert.deepEqual(await byA({ status: FAIL }), [atts.m1a.id]);
    assert.deepEqual(await byA({ statusCodeClass: 200 }), [atts.m0a.id, atts.m1a2.id]);
    assert.deepEqual(await byA({ statusCodeClass: 500 }), [atts.m1a.id]);
    assert.deepEqual(await byB({ statusCodeClass: 0 }), [atts.m2b.id]);
    assert.deepEqual(await byB({ statusCodeClass: 400 }), []);
    assert.deepEqual(await byA({ eventTypes: ['y'] }), [atts.m1a.id, atts.m1a2.id]);
    assert.deepEqual(await byB({ channel: 'us' }), [atts.m2b.id]);
    assert.deepEqual(await byA({ after: T0 + 101, before: T0 + 201 }), [atts.m1a.id]);
    const m1 = ids((await s().listAttemptsByMessage(app.id, msgs[1].id, pq(), { status: SUCCESS })).data);
    assert.deepEqual(m1, [atts.m1a2.id]);
  });

  it('gets one attempt and expunges its response', async () => {
    const { app, msgs, atts } = await history();
    const got = await s().getAttempt(app.id, msgs[0].id, atts.m0b.id);
    assert.equal(got?.response, 'boom');
    assert.equal(await s().getAttempt(app.id, msgs[1].id, atts.m0b.id), null);
    assert.equal(await s().expungeAttemptContent(app.id, msgs[0].id, atts.m0b.id), true);
    assert.deepEqual(await s().getAttempt(app.id, msgs[0].id, atts.m0b.id), { ...got, response: '' });
    assert.equal(await s().expungeAttemptContent(app.id, msgs[0].id, newId('attempt')), false);
  });

  it("lists an endpoint's messages by message ID and a message's destinations by endpoint ID", async () => {
    const { app, a, b, msgs } = await history();
    const ofB = await s().listEndpointMessages(app.id, b.id, pq(), {});
    assert.deepEqual(
      ofB.data.map((v) => v.message.id),
      ids(msgs),
    );
    assert.ok(ofB.data.every((v) => v.endpoint.id === b.id && v.delivery.endpointId === b.id));
    assert.deepEqual(
      ofB.data.map((v) => v.delivery.status),
      [FAIL, PENDING, FAIL],
    );
    assert.deepEqual(ofB.data[0].message, msgs[0]);
    assert.deepEqual(ofB.data[0].endpoint, b);
    const failed = await s().listEndpointMessages(app.id, b.id, pq(), { status: FAIL });
    assert.deepEqual(
      failed.data.map((v) => v.message.id),
      [msgs[0].id, msgs[2].id],
    );
    const typed = await s().listEndpointMessages(app.id, b.id, pq(), { eventTypes: ['y'] });
    assert.deepEqual(
      typed.data.map((v) => v.message.id),
      [msgs[1].id],
    );
    const chan = await s().listEndpointMessages(app.id, b.id, pq(), { channel: 'eu' });
    assert.deepEqual(
      chan.data.map((v) => v.message.id),
      [msgs[0].id],
    );
    const paged = await walk(
      (q) => s().listEndpointMessages(app.id, b.id, q, {}),
      (v) => v.message.id,
      2,
      'descending',
    );
    assert.deepEqual(paged, { seen: ids(msgs).reverse(), pages: 2 });

    const dest = await walk(
      (q) => s().listMessageDestinations(app.id, msgs[0].id, q),
      (v) => v.endpoint.id,
      1,
      'ascending',
    );
    assert.deepEqual(dest.seen, [a.id, b.id].sort());
    const destDesc = await s().listMessageDestinations(app.id, msgs[0].id, pq(1, null, 'descending'));
    assert.equal(destDesc.data[0].endpoint.id, [a.id, b.id].sort()[1]);
    assert.equal(destDesc.done, false);
  });

  it("counts an endpoint's deliveries by status over a creation window", async () => {
    const { app, a, b } = await history();
    assert.deepEqual(await s().endpointStats(app.id, a.id, null, null), {
      success: 2,
      fail: 0,
      pending: 1,
      sending: 0,
      canceled: 0,
    });
    assert.deepEqual(await s().endpointStats(app.id, b.id, null, null), {
      success: 0,
      fail: 2,
      pending: 1,
      sending: 0,
      canceled: 0,
    });
    await claim(s(), { now: T0 + 300 });
    assert.deepEqual(await s().endpointStats(app.id, b.id, null, null), {
      success: 0,
      fail: 2,
      pending: 0,
      sending: 1,
      canceled: 0,
    });
    assert.deepEqual(await s().endpointStats(app.id, b.id, T0 + 10, null), {
      success: 0,
      fail: 1,
      pending: 0,
      sending: 1,
      canceled: 0,
    });
    assert.deepEqual(await s().endpointStats(app.id, b.id, T0 + 10, T0 + 20), {
      success: 0,
      fail: 0,
      pending: 0,
      sending: 1,
      canceled: 0,
    });
    assert.deepEqual(await s().endpointStats((await mkApp(s())).id, b.id, null, null), {
      success: 0,
      fail: 0,
      pending: 0,
      sending: 0,
      canceled: 0,
    });
  });

  it('expires payloads and the response bodies of their attempts, keeping the rest', async () => {
    const app = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id);
    const [old, young] = await mkMessages(s(), [
      msgIn(app.id, { payloadExpiresAt: T0 + 1000 }),
      msgIn(app.id, { payloadExpiresAt: T0 + 5000 }),
    ]);
    const claimed = await claim(s(), { now: T0 });
    await s().completeDeliveries(
      claimed.map((c) => ({
        deliveryId: c.delivery.id,
        owner: 'worker-1',
        attempt: attemptIn(SUCCESS, T0 + 1, { response: 'body' }),
        next: { kind: 'success' as const },
      })),
    );
    assert.deepEqual(await s().expireContent(T0 + 999), { messages: 0, attempts: 0 });
    assert.deepEqual(await s().expireContent(T0 + 1000), { messages: 1, attempts: 1 });
    assert.equal((await s().getMessage(app.id, old.id))?.payload, null);
    assert.equal((await s().getMessage(app.id, young.id))?.payload, young.payload);
    const attemptsOld = await s().listAttemptsByMessage(app.id, old.id, pq(), {});
    assert.deepEqual(
      attemptsOld.data.map((x) => [x.response, x.status, x.responseStatusCode]),
      [['', SUCCESS, 200]],
    );
    assert.equal((await s().listAttemptsByMessage(app.id, young.id, pq(), {})).data[0].response, 'body');
    assert.deepEqual(await s().expireContent(T0 + 1000), { messages: 0, attempts: 0 });
    assert.equal((await s().endpointStats(app.id, ep.id, null, null)).success, 2);
  });

  it("deletes an endpoint with its attempts, leaving the other endpoint's attempts of the same messages", async () => {
    const { app, a, b, msgs, atts } = await history();
    assert.equal(await s().deleteEndpoint(app.id, a.id), true);
    assert.equal(await s().getAttempt(app.id, msgs[0].id, atts.m0a.id), null);
    assert.deepEqual((await s().listAttemptsByEndpoint(app.id, a.id, pq(), {})).data, []);
    assert.deepEqual(ids((await s().listAttemptsByMessage(app.id, msgs[0].id, pq(), {})).data), [atts.m0b.id]);
    assert.deepEqual(ids((await s().listAttemptsByEndpoint(app.id, b.id, pq(), {})).data), [atts.m0b.id, atts.m2b.id]);
  });

  it('deletes an application with everything under it, leaving other apps alone', async () => {
    const { app, a, msgs, atts } = await history();
    const keep = await mkApp(s());
    const keepEp = await mkEndpoint(s(), keep.id);
    const [keepMsg] = await mkMessages(s(), [msgIn(keep.id)]);
    await s().commitConsumerOffset(a.id, 'c', 1, T0);
    assert.equal(await s().deleteApplication(app.id), true);
    assert.equal(await s().getEndpoint(app.id, a.id), null);
    assert.equal(await s().getMessage(app.id, msgs[0].id), null);
    assert.equal(await s().getAttempt(app.id, msgs[0].id, atts.m0a.id), null);
    assert.deepEqual((await s().listAttemptsByEndpoint(app.id, a.id, pq(), {})).data, []);
    assert.deepEqual(await s().listMessagesAfter(app.id, 0, 10, { filterTypes: null, channels: null }), []);
    assert.equal(await s().getConsumerOffset(a.id, 'c'), null);
    assert.equal(await s().queueDepth(), 1);
    const left = await claim(s(), { now: T0 + 10_000 });
    assert.deepEqual(
      left.map((c) => [c.message.id, c.endpoint.id]),
      [[keepMsg.id, keepEp.id]],
    );
  });
}
