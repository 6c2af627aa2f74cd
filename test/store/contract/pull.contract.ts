import assert from 'node:assert/strict';
import { it } from 'node:test';
import { newId } from '../../../src/ids.js';
import type { Store } from '../../../src/store/store.js';
import { T0, ids, mkApp, mkEndpoint, mkMessages, msgIn, pq, walk } from './fixtures.js';

/** The pull side: the log after a seq with a poll endpoint's filter, consumer offsets and their listing. */
export function pullContract(s: () => Store): void {
  it("reads messages after a seq in order, with the poll endpoint's filter", async () => {
    const app = await mkApp(s());
    const other = await mkApp(s());
    const msgs = await mkMessages(s(), [
      msgIn(app.id, { eventType: 'a', channels: ['x'] }),
      msgIn(other.id, { eventType: 'a' }),
      msgIn(app.id, { eventType: 'b', channels: null }),
      msgIn(app.id, { eventType: 'a', channels: ['y', 'z'] }),
      msgIn(app.id, { eventType: 'c', channels: ['x'] }),
    ]);
    const none = { filterTypes: null, channels: null };
    const mine = [msgs[0], msgs[2], msgs[3], msgs[4]];
    const all = await s().listMessagesAfter(app.id, 0, 100, none);
    assert.deepEqual(ids(all), ids(mine));
    assert.deepEqual(all, mine);
    assert.deepEqual(ids(await s().listMessagesAfter(app.id, msgs[2].seq, 100, none)), ids(mine.slice(2)));
    assert.deepEqual(ids(await s().listMessagesAfter(app.id, 0, 2, none)), ids(mine.slice(0, 2)));
    assert.deepEqual(ids(await s().listMessagesAfter(app.id, msgs[4].seq, 100, none)), []);
    assert.deepEqual(ids(await s().listMessagesAfter(app.id, 0, 100, { filterTypes: ['a'], channels: null })), [
      msgs[0].id,
      msgs[3].id,
    ]);
    assert.deepEqual(ids(await s().listMessagesAfter(app.id, 0, 100, { filterTypes: null, channels: ['x', 'y'] })), [
      msgs[0].id,
      msgs[3].id,
      msgs[4].id,
    ]);
    assert.deepEqual(ids(await s().listMessagesAfter(app.id, 0, 100, { filterTypes: ['a', 'c'], channels: ['x'] })), [
      msgs[0].id,
      msgs[4].id,
    ]);
    assert.deepEqual(ids(await s().listMessagesAfter(app.id, 0, 100, { filterTypes: [], channels: [] })), ids(mine));
  });

  it('keeps consumer offsets per (endpoint, consumer)', async () => {
    const app = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id, { kind: 'poll' });
    assert.equal(await s().getConsumerOffset(ep.id, 'c1'), null);
    await s().commitConsumerOffset(ep.id, 'c1', 5, T0);
    await s().commitConsumerOffset(ep.id, 'c2', 9, T0 + 1);
    assert.deepEqual(await s().getConsumerOffset(ep.id, 'c1'), {
      endpointId: ep.id,
      consumerId: 'c1',
      seq: 5,
      updatedAt: T0,
    });
    await s().commitConsumerOffset(ep.id, 'c1', 12, T0 + 2);
    assert.deepEqual(await s().getConsumerOffset(ep.id, 'c1'), {
      endpointId: ep.id,
      consumerId: 'c1',
      seq: 12,
      updatedAt: T0 + 2,
    });
    assert.equal((await s().getConsumerOffset(ep.id, 'c2'))?.seq, 9);
    assert.equal(await s().getConsumerOffset(newId('endpoint'), 'c1'), null);
  });

  it("lists a poll endpoint's consumers by consumer ID, a consumer named `-x` included, forwards and back", async () => {
    const app = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id, { kind: 'poll' });
    const other = await mkEndpoint(s(), app.id, { kind: 'poll' });
    for (const [i, c] of ['b', '-x', 'a', 'c'].entries()) await s().commitConsumerOffset(ep.id, c, 10 + i, T0 + i);
    await s().commitConsumerOffset(other.id, 'zz', 1, T0);
    const all = await s().listConsumerOffsets(ep.id, pq());
    assert.deepEqual(
      all.data.map((o) => o.consumerId),
      ['-x', 'a', 'b', 'c'],
    );
    assert.deepEqual(all.data[0], { endpointId: ep.id, consumerId: '-x', seq: 11, updatedAt: T0 + 1 });
    const walked = await walk(
      (q) => s().listConsumerOffsets(ep.id, q),
      (o) => o.consumerId,
      1,
      'ascending',
    );
    assert.deepEqual(walked, { seen: ['-x', 'a', 'b', 'c'], pages: 4 });
    const first = await s().listConsumerOffsets(ep.id, pq(2));
    assert.equal(first.iterator, 'ca');
    const second = await s().listConsumerOffsets(ep.id, pq(2, first.iterator));
    assert.deepEqual(
      second.data.map((o) => o.consumerId),
      ['b', 'c'],
    );
    const back = await s().listConsumerOffsets(ep.id, pq(2, second.prevIterator));
    assert.deepEqual(
      back.data.map((o) => o.consumerId),
      ['-x', 'a'],
    );
    assert.deepEqual(
      (await s().listConsumerOffsets(ep.id, pq(10, null, 'descending'))).data.map((o) => o.consumerId),
      ['c', 'b', 'a', '-x'],
    );
    assert.deepEqual((await s().listConsumerOffsets(newId('endpoint'), pq())).data, []);
  });
}
