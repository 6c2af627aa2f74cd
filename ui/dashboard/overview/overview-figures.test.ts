import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StatsOverview } from '../operator-types.js';
import { overviewTotals, perMinuteColumns } from './overview-figures.js';

function overview(perMinute: StatsOverview['perMinute']): StatsOverview {
  return {
    since: '2025-01-31T11:00:00Z',
    until: '2025-01-31T12:00:00Z',
    perMinute,
    latencyMs: { p50: null, p99: null, count: 0 },
    queue: { depth: 0, oldestPendingAgeMs: 0 },
    endpoints: { total: 0, disabled: 0, failing: 0 },
    apps: { total: 0 },
  };
}

const MINUTES = [
  { minute: '2025-01-31T11:58:00Z', succeeded: 90, failed: 6, retrying: 4 },
  { minute: '2025-01-31T11:59:00Z', succeeded: 30, failed: 0, retrying: 0 },
];

test('overviewTotals sums the minutes; the success rate is over every attempt', () => {
  assert.deepEqual(overviewTotals(overview(MINUTES)), {
    succeeded: 120,
    failed: 6,
    retrying: 4,
    total: 130,
    successRate: 120 / 130,
  });
});

test('overviewTotals without attempts has no success rate', () => {
  assert.deepEqual(overviewTotals(overview([])), { succeeded: 0, failed: 0, retrying: 0, total: 0, successRate: null });
  assert.equal(
    overviewTotals(overview([{ minute: '2025-01-31T11:59:00Z', succeeded: 0, failed: 0, retrying: 0 }])).successRate,
    null,
  );
});

test('perMinuteColumns: minute starts in seconds and one column per count', () => {
  const start = Date.UTC(2025, 0, 31, 11, 58) / 1000;
  assert.deepEqual(perMinuteColumns(overview(MINUTES)), {
    times: [start, start + 60],
    succeeded: [90, 30],
    failed: [6, 0],
    retrying: [4, 0],
  });
});
