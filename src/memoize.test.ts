import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoize } from './memoize.js';

test('memoize computes a key once, and forgets everything when full', () => {
  const computed: string[] = [];
  const upper = memoize((k) => {
    computed.push(k);
    return k.toUpperCase();
  }, 2);
  assert.equal(upper('a'), 'A');
  assert.equal(upper('a'), 'A');
  assert.equal(upper('b'), 'B');
  assert.deepEqual(computed, ['a', 'b']);
  assert.equal(upper('c'), 'C'); // full: the memo starts over with 'c'
  assert.equal(upper('c'), 'C');
  assert.equal(upper('a'), 'A');
  assert.deepEqual(computed, ['a', 'b', 'c', 'a']);
});
