import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idFloor, ksuid, looksLikeId, newId } from './ids.js';

test('IDs carry their prefix and 27 base62 characters', () => {
  const id = newId('message');
  assert.match(id, /^msg_[0-9A-Za-z]{27}$/);
  assert.ok(looksLikeId('message', id));
  assert.ok(!looksLikeId('endpoint', id));
});

test('IDs from one process sort in creation order, within and across seconds', () => {
  const ids = [];
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < 2000; i++) ids.push(ksuid(t0 + Math.floor(i / 500) * 1000));
  const sorted = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  assert.deepEqual(sorted, ids);
  assert.equal(new Set(ids).size, ids.length);
});

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const decode = (s: string) => [...s].reduce((n, c) => n * 62n + BigInt(BASE62.indexOf(c)), 0n);

test('IDs of one second count up by one, carries included; the next second starts from its timestamp', () => {
  const t0 = Date.UTC(2026, 0, 2);
  const ids = Array.from({ length: 10_000 }, () => ksuid(t0));
  for (let i = 1; i < ids.length; i++)
    assert.equal(decode(ids[i]), decode(ids[i - 1]) + 1n, `${ids[i - 1]} → ${ids[i]}`);
  assert.ok(
    ids.some((id) => id.endsWith('z')),
    'a carry happened',
  );
  const seconds = (id: string) => decode(id) >> 128n;
  assert.equal(seconds(ids[0]), BigInt(t0 / 1000 - 1_400_000_000));
  assert.equal(seconds(ids.at(-1)!), seconds(ids[0]));
  const next = ksuid(t0 + 1000);
  assert.equal(seconds(next), seconds(ids[0]) + 1n);
  assert.ok(next > ids.at(-1)!);
});

test('idFloor is the least ID of its second: IDs made in that second or later sort at or above it, earlier ones below', () => {
  const t = Date.UTC(2026, 3, 1, 12, 0, 5, 250);
  const floor = idFloor('attempt', t);
  assert.match(floor, /^atmpt_[0-9A-Za-z]{27}$/);
  assert.equal(idFloor('attempt', t - 250), floor, 'the whole second has one floor');
  assert.ok(newId('attempt', t - 250) >= floor);
  assert.ok(newId('attempt', t + 999) >= floor);
  assert.ok(newId('attempt', t - 251) < floor);
  assert.ok(idFloor('attempt', t + 750) > newId('attempt', t + 749));
  assert.equal(idFloor('message', 0), 'msg_' + '0'.repeat(27), 'before the KSUID epoch: the least ID');
});
