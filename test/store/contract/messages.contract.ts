import type { AppId } from '../../../src/ids.js';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Store } from '../../../src/store/store.js';
import { PENDING, T0, claim, ids, mkApp, mkEndpoint, mkMessages, msgIn, pq, sorted, walk } from './fixtures.js';

/** The outbox (createMessages), message reads, pagination and filters, listeners (pull.contract.ts: the log read after a seq). */
export function messagesContract(s: () => Store): void {
  it('accepts a batch in order, refusing duplicate eventIds and unknown apps without affecting the rest', async () => {
    const a = await mkApp(s());
    const b = await mkApp(s());
    const [earlier] = await mkMessages(s(), [msgIn(a.id, { eventId: 'evt-1' })]);
    const inputs = [
      msgIn(a.id, { eventId: 'evt-2' }),
      msgIn(a.id, { eventId: 'evt-1' }), // duplicate of a stored message
      msgIn('app_does_not_exist' as AppId),
      msgIn(a.id, { eventId: 'evt-2' }), // duplicate of an earlier item of this batch
      msgIn(b.id, { eventId: 'evt-1' }), // same eventId, other app: fine
      msgIn(a.id),
    ];
    const results = await s().createMessages(inputs);
    assert.equal(results.length, 6);
    assert.ok(results[0].ok);
    assert.deepEqual(results[1], { ok: false, reason: 'duplicate_event_id', existing: earlier });
    assert.deepEqual(results[2], { ok: false, reason: 'app_not_found' });
    assert.ok(!results[3].ok && results[3].reason === 'duplicate_event_id' && results[3].existing.id === inputs[0].id);
    assert.ok(results[4].ok && results[5].ok);
    const accepted = [results[0], results[4], results[5]].map((r) => (r.ok ? r.message : assert.fail()));
    assert.deepEqual(
      accepted.map((m) => m.id),
      [inputs[0].id, inputs[4].id, inputs[5].id],
    );
    // seq grows in acceptance order, above the earlier message.
    assert.ok(earlier.seq < accepted[0].seq && accepted[0].seq < accepted[1].seq && accepted[1].seq < accepted[2].seq);
    assert.equal(await s().getMessage(a.id, inputs[1].id), null);
    assert.equal(await s().getMessage(a.id, inputs[3].id), null);
    assert.equal((await s().listMessages(a.id, pq(), {})).data.length, 3);
    assert.deepEqual(await s().createMessages([]), []);
  });

  it('returns the stored message in the result, readable by id or eventId within its app', async () => {
    const app = await mkApp(s());
    const other = await mkApp(s());
    const input = msgIn(app.id, {
      eventType: 'invoice.paid',
      eventId: 'e-77',
      channels: ['eu', 'vip'],
      tags: ['t1'],
      payload: '{"amount":5}',
      now: T0 + 3,
      deliverAt: T0 + 60_000,
      payloadExpiresAt: T0 + 99,
    });
    const [msg] = await mkMessages(s(), [input]);
    assert.deepEqual(msg, {
      id: input.id,
      appId: app.id,
      eventType: 'invoice.paid',
      eventId: 'e-77',
      channels: ['eu', 'vip'],
      tags: ['t1'],
      payload: '{"amount":5}',
      seq: msg.seq,
      createdAt: T0 + 3,
      deliverAt: T0 + 60_000,
      payloadExpiresAt: T0 + 99,
      traceContext: null,
    });
    assert.equal(typeof msg.seq, 'number');
    assert.deepEqual(await s().getMessage(app.id, msg.id), msg);
    assert.deepEqual(await s().getMessage(app.id, 'e-77'), msg);
    assert.equal(await s().getMessage(other.id, msg.id), null);
    assert.equal(await s().getMessage(app.id, 'missing'), null);
    assert.equal(await s().expungeMessageContent(app.id, msg.id), true);
    assert.equal((await s().getMessage(app.id, msg.id))?.payload, null);
    assert.equal(await s().expungeMessageContent(other.id, msg.id), false);
  });

  it("keeps a message's trace context through every read and into the deliveries a worker claims", async () => {
    const app = await mkApp(s());
    await mkEndpoint(s(), app.id);
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const [traced, plain] = await mkMessages(s(), [msgIn(app.id, { traceContext: traceparent }), msgIn(app.id)]);
    assert.equal(traced.traceContext, traceparent);
    assert.equal(plain.traceContext, null, 'absent on input: stored as null');
    assert.equal((await s().getMessage(app.id, traced.id))?.traceContext, traceparent);
    assert.deepEqual(
      (await s().listMessages(app.id, pq(), {})).data.map((m) => [m.id, m.traceContext]).sort(),
      [
        [traced.id, traceparent],
        [plain.id, null],
      ].sort(),
    );
    const claimed = await claim(s());
    assert.deepEqual(
      claimed.map((c) => [c.message.id, c.message.traceContext]).sort(),
      [
        [traced.id, traceparent],
        [plain.id, null],
      ].sort(),
    );
  });

  it('writes delivery rows only for enabled url endpoints whose filters match', async () => {
    const app = await mkApp(s());
    const all = await mkEndpoint(s(), app.id);
    const typed = await mkEndpoint(s(), app.id, { filterTypes: ['order.paid'] });
    const channel = await mkEndpoint(s(), app.id, { channels: ['eu'] });
    const both = await mkEndpoint(s(), app.id, { filterTypes: ['order.paid'], channels: ['eu', 'us'] });
    const emptyFilters = await mkEndpoint(s(), app.id, { filterTypes: [], channels: [] });
    await mkEndpoint(s(), app.id, { disabled: true });
    await mkEndpoint(s(), app.id, { kind: 'poll' });
    const other = await mkApp(s());
    await mkEndpoint(s(), other.id);

    const cases: Array<[string, string[] | null, string[]]> = [
      ['user.created', null, [all.id, emptyFilters.id]],
      ['order.paid', null, [all.id, typed.id, emptyFilters.id]],
      ['user.created', ['eu'], [all.id, channel.id, emptyFilters.id]],
      ['order.paid', ['us', 'x'], [all.id, typed.id, both.id, emptyFilters.id]],
      ['order.paid', ['eu'], [all.id, typed.id, channel.id, both.id, emptyFilters.id]],
    ];
    let total = 0;
    for (const [eventType, channels, expected] of cases) {
      const [r] = await s().createMessages([msgIn(app.id, { eventType, channels })]);
      assert.ok(r.ok);
      assert.equal(r.deliveryCount, expected.length, `${eventType} ${channels}`);
      const dest = await s().listMessageDestinations(app.id, r.message.id, pq());
      assert.deepEqual(
        dest.data.map((d) => d.endpoint.id),
        sorted(expected),
        `${eventType} ${channels}`,
      );
      for (const d of dest.data) {
        assert.equal(d.delivery.status, PENDING);
        assert.equal(d.delivery.attemptCount, 0);
        assert.equal(d.delivery.nextAttemptAt, T0);
        assert.equal(d.delivery.msgId, r.message.id);
        assert.equal(d.message.id, r.message.id);
      }
      total += expected.length;
    }
    assert.equal(await s().queueDepth(), total);
  });

  it('writes the one row of onlyEndpointId whatever its filters (send-example)', async () => {
    const app = await mkApp(s());
    await mkEndpoint(s(), app.id);
    const target = await mkEndpoint(s(), app.id, { filterTypes: ['something.else'], channels: ['elsewhere'] });
    const [r] = await s().createMessages([msgIn(app.id, { eventType: 'webhook.example', onlyEndpointId: target.id })]);
    assert.ok(r.ok);
    assert.equal(r.deliveryCount, 1);
    const dest = await s().listMessageDestinations(app.id, r.message.id, pq());
    assert.deepEqual(
      dest.data.map((d) => d.endpoint.id),
      [target.id],
    );
  });

  it('pages messages forwards and backwards in both orders', async () => {
    const app = await mkApp(s());
    const msgs = await mkMessages(
      s(),
      Array.from({ length: 7 }, () => msgIn(app.id)),
    );
    const asc = ids(msgs);
    const desc = [...asc].reverse();
    assert.deepEqual(
      await walk(
        (q) => s().listMessages(app.id, q, {}),
        (m) => m.id,
        3,
        'ascending',
      ),
      { seen: asc, pages: 3 },
    );
    assert.deepEqual(
      await walk(
        (q) => s().listMessages(app.id, q, {}),
        (m) => m.id,
        3,
        'descending',
      ),
      { seen: desc, pages: 3 },
    );
    assert.deepEqual(
      await walk(
        (q) => s().listMessages(app.id, q, {}),
        (m) => m.id,
        7,
        'ascending',
      ),
      { seen: asc, pages: 1 },
    );

    for (const [order, list] of [
      ['ascending', asc],
      ['descending', desc],
    ] as const) {
      const p1 = await s().listMessages(app.id, pq(3, null, order), {});
      assert.deepEqual(ids(p1.data), list.slice(0, 3));
      assert.equal(p1.iterator, list[2]);
      assert.equal(p1.prevIterator, '-' + list[0]);
      assert.equal(p1.done, false);
      const p2 = await s().listMessages(app.id, pq(3, p1.iterator, order), {});
      assert.deepEqual(ids(p2.data), list.slice(3, 6));
      const p3 = await s().listMessages(app.id, pq(3, p2.iterator, order), {});
      assert.deepEqual(ids(p3.data), list.slice(6));
      assert.equal(p3.done, true);
      assert.equal(p3.iterator, list[6]);
      // Back from page 3: page 2 again, in the requested order.
      const back = await s().listMessages(app.id, pq(3, p3.prevIterator, order), {});
      assert.deepEqual(ids(back.data), list.slice(3, 6));
      assert.equal(back.done, false);
      assert.equal(back.prevIterator, '-' + list[3]);
      // Back from page 2 reaches the start: nothing more before it.
      const first = await s().listMessages(app.id, pq(3, back.prevIterator, order), {});
      assert.deepEqual(ids(first.data), list.slice(0, 3));
      assert.equal(first.done, true);
      // Back from the first page: empty.
      const none = await s().listMessages(app.id, pq(3, first.prevIterator, order), {});
      assert.deepEqual(none, { data: [], iterator: null, prevIterator: null, done: true });
    }
    const empty = await s().listMessages((await mkApp(s())).id, pq(), {});
    assert.deepEqual(empty, { data: [], iterator: null, prevIterator: null, done: true });
  });

  it('filters messages by event types, channel and creation time', async () => {
    const app = await mkApp(s());
    const [m1, m2, m3, m4] = await mkMessages(s(), [
      msgIn(app.id, { eventType: 'a', channels: ['x'], now: T0 + 1 }),
      msgIn(app.id, { eventType: 'b', channels: ['x', 'y'], now: T0 + 2 }),
      msgIn(app.id, { eventType: 'c', channels: null, now: T0 + 3 }),
      msgIn(app.id, { eventType: 'a', channels: ['y'], now: T0 + 4 }),
    ]);
    const list = async (f: Parameters<Store['listMessages']>[2]) => ids((await s().listMessages(app.id, pq(), f)).data);
    assert.deepEqual(await list({ eventTypes: ['a'] }), [m1.id, m4.id]);
    assert.deepEqual(await list({ eventTypes: ['a', 'c'] }), [m1.id, m3.id, m4.id]);
    assert.deepEqual(await list({ eventTypes: [] }), [m1.id, m2.id, m3.id, m4.id]);
    assert.deepEqual(await list({ channel: 'y' }), [m2.id, m4.id]);
    assert.deepEqual(await list({ before: T0 + 3 }), [m1.id, m2.id]);
    assert.deepEqual(await list({ after: T0 + 2 }), [m3.id, m4.id]);
    assert.deepEqual(await list({ after: T0 + 1, before: T0 + 4, channel: 'x' }), [m2.id]);
    const paged = await walk(
      (q) => s().listMessages(app.id, q, { eventTypes: ['a', 'b'] }),
      (m) => m.id,
      1,
      'descending',
    );
    assert.deepEqual(paged.seen, [m4.id, m2.id, m1.id]);
  });

  it('filters by tag, and by creation times that fall inside a second (the ID bounds round to seconds, the times stay exact)', async () => {
    const app = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id);
    const [m1, m2, m3, m4] = await mkMessages(s(), [
      msgIn(app.id, { tags: ['t1'], now: T0 + 999 }),
      msgIn(app.id, { tags: ['t1', 't2'], now: T0 + 1000 }),
      msgIn(app.id, { tags: null, now: T0 + 1500 }),
      msgIn(app.id, { tags: ['t2'], now: T0 + 61_000 }),
    ]);
    const list = async (f: Parameters<Store['listMessages']>[2]) => ids((await s().listMessages(app.id, pq(), f)).data);
    const ofEndpoint = async (f: Parameters<Store['listEndpointMessages']>[3]) =>
      (await s().listEndpointMessages(app.id, ep.id, pq(), f)).data.map((v) => v.message.id);
    for (const read of [list, ofEndpoint]) {
      assert.deepEqual(await read({ tag: 't1' }), [m1.id, m2.id]);
      assert.deepEqual(await read({ tag: 't2' }), [m2.id, m4.id]);
      assert.deepEqual(await read({ tag: 'none' }), []);
      assert.deepEqual(await read({ before: T0 + 1000 }), [m1.id]);
      assert.deepEqual(await read({ before: T0 + 1001 }), [m1.id, m2.id]);
      assert.deepEqual(await read({ after: T0 + 999 }), [m2.id, m3.id, m4.id]);
      assert.deepEqual(await read({ after: T0 + 1000, before: T0 + 61_000 }), [m3.id]);
      assert.deepEqual(await read({ after: T0 + 1499 }), [m3.id, m4.id]);
      assert.deepEqual(await read({ before: T0 }), []);
    }
  });

  it('fires onWork and onMessages after the commit; a throwing listener breaks nothing', async () => {
    const app = await mkApp(s());
    await mkEndpoint(s(), app.id);
    const seenApps: string[] = [];
    let work = 0;
    const reads: Array<Promise<unknown>> = [];
    const input = msgIn(app.id);
    const offBad = s().onMessages(() => {
      throw new Error('listener bug');
    });
    const offMsg = s().onMessages((appId) => {
      seenApps.push(appId);
      reads.push(s().getMessage(appId, input.id)); // committed before listeners run
    });
    const offWork = s().onWork(() => {
      work++;
      throw new Error('another bug');
    });
    const [r] = await s().createMessages([input]);
    assert.ok(r.ok);
    // PostgreSQL notifies through LISTEN/NOTIFY: give delivery a moment.
    for (let i = 0; i < 100 && (seenApps.length === 0 || work === 0); i++)
      await new Promise((res) => setTimeout(res, 20));
    assert.ok(seenApps.includes(app.id));
    assert.ok(work >= 1);
    const read = (await reads[0]) as { id: string } | null;
    assert.equal(read?.id, input.id);
    offMsg();
    offWork();
    offBad();
    const before = seenApps.length;
    await mkMessages(s(), [msgIn(app.id)]);
    await new Promise((res) => setTimeout(res, 100));
    assert.equal(seenApps.length, before);
  });
}
