import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstLine } from './last-error.js';

test('the first line with text, trimmed', () => {
  assert.equal(firstLine('\r\n   \n  upstream timed out  \nstack…'), 'upstream timed out');
  assert.equal(firstLine('{"error":"nope"}'), '{"error":"nope"}');
});

test('shortened to max characters, the last one an ellipsis', () => {
  assert.equal(firstLine('x'.repeat(200)), `${'x'.repeat(159)}…`);
  assert.equal(firstLine('abcdefgh', 5), 'abcd…');
  assert.equal(firstLine('abcde', 5), 'abcde');
});

test('no body, or only blank lines: empty', () => {
  assert.equal(firstLine(null), '');
  assert.equal(firstLine(undefined), '');
  assert.equal(firstLine(' \n\t\n'), '');
});
