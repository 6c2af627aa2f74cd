import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDeduper } from './dedupe.js';

test('dedupe: an id is new once, then seen', () => {
  const deduper = createDeduper();
  assert.equal(deduper.seen('msg_1'), false);
  assert.equal(deduper.seen('msg_1'), true);
  assert.equal(deduper.seen('msg_2'), false);
  assert.equal(deduper.size, 2);
});

test('dedupe: ids expire after ttlMs', () => {
  let clock = 1_000;
  const deduper = createDeduper({ ttlMs: 100, now: () => clock });
  assert.equal(deduper.seen('msg_1'), false);
  clock += 50;
  assert.equal(deduper.seen('msg_2'), false);
  assert.equal(deduper.seen('msg_1'), true, 'still inside the TTL');
  clock += 60; // msg_1 is 110 ms old, msg_2 60 ms
  assert.equal(deduper.seen('msg_1'), false, 'expired, so new again');
  assert.equal(deduper.seen('msg_2'), true);
});

test('dedupe: memory is bounded by maxEntries, dropping the oldest first', () => {
  const deduper = createDeduper({ maxEntries: 3 });
  for (const id of ['a', 'b', 'c', 'd']) assert.equal(deduper.seen(id), false);
  assert.equal(deduper.size, 3);
  assert.equal(deduper.seen('d'), true);
  assert.equal(deduper.seen('c'), true);
  assert.equal(deduper.seen('a'), false, 'the oldest was evicted');
  assert.equal(deduper.size, 3);
});

test('dedupe: expired entries are dropped, so size stays bounded by traffic within the TTL', () => {
  let clock = 0;
  const deduper = createDeduper({ ttlMs: 10, now: () => clock });
  for (let i = 0; i < 1_000; i++) {
    deduper.seen(`msg_${i}`);
    clock += 1;
  }
  assert.ok(deduper.size <= 11, `size ${deduper.size}`);
});

test('dedupe: forget lets a failed delivery be processed on its retry', () => {
  const deduper = createDeduper();
  assert.equal(deduper.seen('msg_1'), false);
  deduper.forget('msg_1');
  assert.equal(deduper.seen('msg_1'), false);
});

test('dedupe: nonsensical options are refused', () => {
  assert.throws(() => createDeduper({ ttlMs: 0 }), RangeError);
  assert.throws(() => createDeduper({ maxEntries: 0 }), RangeError);
});
