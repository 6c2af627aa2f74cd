import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError } from '../errors.js';
import { decodeIterator, encodeIterator } from './poll-iterator.js';

test('iterators round-trip the position and are URL-safe', () => {
  for (const seq of [0, 1, 42, 2 ** 40]) {
    const it = encodeIterator({ seq });
    assert.match(it, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeIterator(it), { seq });
  }
});

test('anything we did not issue is a 400 invalid_iterator', () => {
  const bad = [
    '',
    'a b',
    '!!!',
    Buffer.from('{"s":-1}').toString('base64url'),
    Buffer.from('{"s":1.5}').toString('base64url'),
    Buffer.from('{"x":1}').toString('base64url'),
    Buffer.from('null').toString('base64url'),
    Buffer.from('not json').toString('base64url'),
  ];
  for (const it of bad) {
    assert.throws(
      () => decodeIterator(it),
      (err: unknown) => err instanceof BadRequestError && err.code === 'invalid_iterator' && err.status === 400,
      it,
    );
  }
});
