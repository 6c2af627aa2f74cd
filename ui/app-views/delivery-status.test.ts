import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inFlight, refreshInterval } from './delivery-status.js';

const NOW = Date.UTC(2025, 0, 31, 12, 0, 0);
const inMs = (ms: number) => new Date(NOW + ms).toISOString();

test('pending (1) and sending (3) are in flight; succeeded, failed, canceled are final', () => {
  assert.deepEqual([0, 1, 2, 3, 4].map(inFlight), [false, true, false, true, false]);
});

test('all final, or nothing: no refresh', () => {
  assert.equal(refreshInterval([], NOW), false);
  assert.equal(refreshInterval([{ status: 0 }, { status: 2, nextAttempt: null }, { status: 4 }], NOW), false);
});

test('one being sent, due now or due within a minute: every 2 s', () => {
  assert.equal(refreshInterval([{ status: 3, nextAttempt: inMs(10 * 60_000) }], NOW), 2_000);
  assert.equal(refreshInterval([{ status: 1, nextAttempt: null }], NOW), 2_000);
  assert.equal(refreshInterval([{ status: 1, nextAttempt: inMs(59_999) }], NOW), 2_000);
  assert.equal(refreshInterval([{ status: 1, nextAttempt: inMs(-5_000) }], NOW), 2_000);
  assert.equal(refreshInterval([{ status: 1, nextAttempt: 'not a date' }], NOW), 2_000);
});

test('only later retries: every 30 s, unless another is due soon', () => {
  assert.equal(refreshInterval([{ status: 1, nextAttempt: inMs(60_000) }], NOW), 30_000);
  assert.equal(refreshInterval([{ status: 0 }, { status: 1, nextAttempt: inMs(3_600_000) }], NOW), 30_000);
  assert.equal(
    refreshInterval(
      [
        { status: 1, nextAttempt: inMs(3_600_000) },
        { status: 1, nextAttempt: inMs(1_000) },
      ],
      NOW,
    ),
    2_000,
  );
});
