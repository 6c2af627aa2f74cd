import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attemptSeries } from './attempt-series.js';

const START = '2025-01-01T00:00:00.000Z';
const START_S = Date.UTC(2025, 0, 1) / 1000;

test('one point per hourly bucket from startDate, plus one at the end of the last', () => {
  const chart = attemptSeries({
    startDate: START,
    endDate: '2025-01-01T03:00:00.000Z',
    period: 'OneHour',
    data: { successCount: [4, 0, 2], failureCount: [1, 3, 0] },
  });
  assert.deepEqual(chart, {
    times: [START_S, START_S + 3_600, START_S + 7_200, START_S + 10_800],
    series: [
      { label: 'Succeeded', values: [4, 0, 2, 2], colorVar: '--success' },
      { label: 'Failed', values: [1, 3, 0, 0], colorVar: '--danger' },
    ],
    succeeded: 6,
    failed: 4,
  });
});

test('the bucket width follows the period', () => {
  const times = (period: 'OneDay' | 'FiveMinutes') =>
    attemptSeries({
      startDate: START,
      endDate: START,
      period,
      data: { successCount: [1, 1], failureCount: [0, 0] },
    }).times;
  assert.deepEqual(times('FiveMinutes'), [START_S, START_S + 300, START_S + 600]);
  assert.deepEqual(times('OneDay'), [START_S, START_S + 86_400, START_S + 172_800]);
});

test('a shorter or missing count list is padded with zeros', () => {
  const chart = attemptSeries({
    startDate: START,
    endDate: START,
    period: 'OneHour',
    data: { successCount: [5, 6, 7], failureCount: null },
  });
  assert.deepEqual(
    chart.series.map((s) => s.values),
    [
      [5, 6, 7, 7],
      [0, 0, 0, 0],
    ],
  );
  assert.equal(chart.failed, 0);

  const short = attemptSeries({
    startDate: START,
    endDate: START,
    period: 'OneHour',
    data: { successCount: [1, 2, 3], failureCount: [9] },
  });
  assert.deepEqual(short.series[1].values, [9, 0, 0, 0]);
  assert.equal(short.failed, 9);
});

test('no buckets: one point at the start, at zero', () => {
  assert.deepEqual(attemptSeries({ startDate: START, endDate: START, period: 'OneHour', data: {} }), {
    times: [START_S],
    series: [
      { label: 'Succeeded', values: [0], colorVar: '--success' },
      { label: 'Failed', values: [0], colorVar: '--danger' },
    ],
    succeeded: 0,
    failed: 0,
  });
});
