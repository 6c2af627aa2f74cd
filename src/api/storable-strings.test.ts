import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStorableString } from './storable-strings.js';

test('isStorableString refuses NUL and unpaired surrogates, keeps pairs and other text', () => {
  for (const s of ['', 'abc', 'héllo', '💥', 'a\ud83d\udca5b', '\u202e', '\u0001'])
    assert.equal(isStorableString(s), true, JSON.stringify(s));
  for (const s of ['\u0000', 'a\u0000b', '\ud800', 'a\ud800b', '\udc00', 'x\udc00\ud800', '\ud83d'])
    assert.equal(isStorableString(s), false, JSON.stringify(s));
});
