import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Store } from '../../../src/store/store.js';
import type { ListenLogRequest } from '../../../src/store/listen-log.js';
import { T0 } from './fixtures.js';

const CHANNEL = 'lc_AAAAAAAAAAAAAAAAAAAAAA';

const request = (n: number): ListenLogRequest => ({
  method: n % 2 ? 'POST' : 'PUT',
  headers: { 'content-type': 'application/octet-stream', 'x-many': ['a', String(n)] },
  query: { n: String(n) },
  body: Buffer.from([0, 255, n, 0x80]),
  timestamp: T0 + n,
});

/** The listen channels' log: per-channel seqs in commit order, the newest `keep` retained, readers woken. */
export function listenLogContract(s: () => Store): void {
  it('creates a channel once, appends with seqs 1, 2, 3… and reads them back byte for byte', async () => {
    assert.equal(await s().createListenChannel(CHANNEL, 'laptop', T0), true);
    assert.equal(await s().createListenChannel(CHANNEL, null, T0 + 1), false, 'exists');
    assert.deepEqual(await s().getListenChannel(CHANNEL), { uid: 'laptop' });
    assert.equal(await s().getListenChannel('lc_BBBBBBBBBBBBBBBBBBBBBB'), undefined);

    const heard: string[] = [];
    const stop = s().onListenAppend((id) => heard.push(id));
    assert.deepEqual([await s().appendListenEvent(CHANNEL, request(1), 10)], [1]);
    assert.equal(await s().appendListenEvent(CHANNEL, request(2), 10), 2);
    stop();
    assert.deepEqual(heard, [CHANNEL, CHANNEL]);

    const events = (await s().listenEventsAfter(CHANNEL, 0, 10)).map((e) => ({ ...e, body: Buffer.from(e.body) }));
    assert.deepEqual(events, [
      { seq: 1, ...request(1) },
      { seq: 2, ...request(2) },
    ]);
    assert.deepEqual(
      (await s().listenEventsAfter(CHANNEL, 1, 10)).map((e) => e.seq),
      [2],
    );
    assert.deepEqual(await s().listenEventsAfter(CHANNEL, 2, 10), []);
  });

  it('keeps the newest `keep` events, pages by limit, and refuses an append to an unknown channel', async () => {
    await s().createListenChannel(CHANNEL, null, T0);
    for (let n = 1; n <= 7; n++) await s().appendListenEvent(CHANNEL, request(n), 3);
    assert.deepEqual(
      (await s().listenEventsAfter(CHANNEL, 0, 10)).map((e) => e.seq),
      [5, 6, 7],
    );
    assert.deepEqual(
      (await s().listenEventsAfter(CHANNEL, 0, 2)).map((e) => e.seq),
      [5, 6],
    );
    assert.equal(await s().appendListenEvent('lc_BBBBBBBBBBBBBBBBBBBBBB', request(1), 3), null);
    assert.deepEqual(await s().listenEventsAfter('lc_BBBBBBBBBBBBBBBBBBBBBB', 0, 10), []);
  });

  it('concurrent appends to one channel take distinct seqs, none lost', async () => {
    await s().createListenChannel(CHANNEL, null, T0);
    const seqs = await Promise.all(
      Array.from({ length: 12 }, (_, n) => s().appendListenEvent(CHANNEL, request(n), 100)),
    );
    assert.deepEqual(
      [...seqs].sort((a, b) => a! - b!),
      Array.from({ length: 12 }, (_, n) => n + 1),
    );
    assert.equal((await s().listenEventsAfter(CHANNEL, 0, 100)).length, 12);
  });

  it('retention drops a channel idle for 30 days with its events, and keeps one posted to since', async () => {
    const DAY = 86_400_000;
    const IDLE = 'lc_CCCCCCCCCCCCCCCCCCCCCC';
    await s().createListenChannel(CHANNEL, null, T0);
    await s().createListenChannel(IDLE, null, T0);
    await s().appendListenEvent(IDLE, request(1), 10);
    await s().appendListenEvent(CHANNEL, { ...request(2), timestamp: T0 + 20 * DAY }, 10);
    await s().expireContent(T0 + 30 * DAY + 10);
    assert.deepEqual(await s().getListenChannel(CHANNEL), { uid: null });
    assert.equal(await s().getListenChannel(IDLE), undefined);
    assert.deepEqual(await s().listenEventsAfter(IDLE, 0, 10), []);
    assert.equal(await s().appendListenEvent(IDLE, request(3), 10), null);
  });
}
