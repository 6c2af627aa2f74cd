import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ksuid, looksLikeId, newId } from './ids.js';

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
