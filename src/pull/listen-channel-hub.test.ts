import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimitedError } from '../errors.js';
import { ListenChannelHub, type ListenRequest } from './listen-channel-hub.js';

const req = (n: number): ListenRequest => ({
  method: 'POST',
  headers: {},
  query: {},
  body: Buffer.from(String(n)),
  timestamp: n,
});

test('named channels get the same unguessable ID under the same key, different per scope and key', () => {
  const a = new ListenChannelHub({ secret: 'k1' });
  const b = new ListenChannelHub({ secret: 'k1' });
  const id = a.create('laptop', 'admin:root').channel.id;
  assert.match(id, /^lc_[A-Za-z0-9_-]{22}$/);
  assert.equal(b.create('laptop', 'admin:root').channel.id, id, 'survives a restart');
  assert.notEqual(a.create('laptop', 'app:tok_1').channel.id, id);
  assert.notEqual(new ListenChannelHub({ secret: 'k2' }).create('laptop', 'admin:root').channel.id, id);
  assert.equal(a.create('laptop', 'admin:root').created, false);
  assert.notEqual(a.create(null, 's').channel.id, a.create(null, 's').channel.id);
});

test('the ring keeps the last N events; Last-Event-ID resumes; an id from another lifetime replays the ring', () => {
  const hub = new ListenChannelHub({ bufferSize: 3 });
  const ch = hub.create(null, 's').channel;
  const events = [1, 2, 3, 4, 5].map((n) => ch.publish(req(n)));
  const all = ch.subscribe(null, () => {});
  assert.deepEqual(
    all.backlog.map((e) => e.body.toString()),
    ['3', '4', '5'],
  );
  all.unsubscribe();
  assert.deepEqual(
    ch.subscribe(events[3].id, () => {}).backlog.map((e) => e.body.toString()),
    ['5'],
  );
  assert.deepEqual(
    ch.subscribe('deadbeef.4', () => {}).backlog.map((e) => e.body.toString()),
    ['3', '4', '5'],
  );
  const live: string[] = [];
  ch.subscribe(events[4].id, (e) => live.push(e.body.toString()));
  ch.publish(req(6));
  assert.deepEqual(live, ['6']);
});

test('open() accepts only well-formed IDs; beyond maxChannels the idle channel goes, a hub full of listeners refuses', () => {
  const hub = new ListenChannelHub({ maxChannels: 2 });
  assert.equal(hub.open('nope'), null);
  const a = hub.open('lc_AAAAAAAAAAAAAAAAAAAAAA')!;
  const b = hub.create(null, 's').channel;
  a.subscribe(null, () => {});
  hub.create(null, 's'); // evicts b (no subscribers)
  assert.equal(hub.get(b.id), undefined);
  assert.ok(hub.get(a.id));
  const full = new ListenChannelHub({ maxChannels: 1 });
  full.create(null, 's').channel.subscribe(null, () => {});
  assert.throws(() => full.create(null, 's'), RateLimitedError);
});
