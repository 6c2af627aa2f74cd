import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dateRangeError, dateRangeQuery } from './date-range.js';

const since = '2025-01-31T09:00';
const until = '2025-01-31T17:30';

test('dateRangeQuery: each end that is set, as an ISO instant of the local time typed', () => {
  assert.deepEqual(dateRangeQuery({ since, until }), {
    after: new Date(2025, 0, 31, 9, 0).toISOString(),
    before: new Date(2025, 0, 31, 17, 30).toISOString(),
  });
  assert.deepEqual(dateRangeQuery({ since, until: '' }), { after: new Date(2025, 0, 31, 9, 0).toISOString() });
  assert.deepEqual(dateRangeQuery({ since: '', until: '' }), {});
  assert.deepEqual(dateRangeQuery({ since: 'garbage', until: '' }), {});
});

test('dateRangeError: "Since" must come before "Until"', () => {
  assert.equal(dateRangeError({ since, until }), null);
  assert.equal(dateRangeError({ since: until, until: since }), '"Since" must be before "Until".');
  assert.equal(dateRangeError({ since, until: since }), '"Since" must be before "Until".');
  assert.equal(dateRangeError({ since: until, until: '' }), null);
});
