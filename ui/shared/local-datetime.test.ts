import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromLocalInput, toLocalInput } from './local-datetime.js';

test('toLocalInput writes the local wall-clock time, to the minute, zero-padded', () => {
  assert.equal(toLocalInput(new Date(2025, 0, 3, 4, 5, 59)), '2025-01-03T04:05');
  assert.equal(toLocalInput(new Date(2024, 11, 31, 23, 59)), '2024-12-31T23:59');
});

test('fromLocalInput reads it back as the same local instant', () => {
  assert.equal(fromLocalInput('2025-01-31T14:05')?.getTime(), new Date(2025, 0, 31, 14, 5).getTime());
  const now = new Date(2025, 5, 15, 9, 30);
  assert.equal(fromLocalInput(toLocalInput(now))?.getTime(), now.getTime());
});

test('fromLocalInput: empty or not a date is null', () => {
  assert.equal(fromLocalInput(''), null);
  assert.equal(fromLocalInput('2025-13-45T99:99'), null);
  assert.equal(fromLocalInput('yesterday'), null);
});
