import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTimeZone, nextPeriod, periodOf } from './usage-period.js';
import { multiplesReached } from './usage-report.js';

describe('report periods', () => {
  it('are calendar hours, days and months in the time zone, a day across a DST change 23 or 25 hours long', () => {
    const t = Date.parse('2026-03-29T12:00:00Z'); // Europe/Berlin moves to summer time at 02:00 that day
    const day = periodOf(t, 'day', 'Europe/Berlin');
    assert.equal(new Date(day.start).toISOString(), '2026-03-28T23:00:00.000Z');
    assert.equal((day.end - day.start) / 3_600_000, 23);
    const autumn = periodOf(Date.parse('2026-10-25T12:00:00Z'), 'day', 'Europe/Berlin');
    assert.equal((autumn.end - autumn.start) / 3_600_000, 25);
    const month = periodOf(Date.parse('2026-02-10T00:00:00Z'), 'month', 'UTC');
    assert.deepEqual(
      [new Date(month.start).toISOString(), new Date(month.end).toISOString()],
      ['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
    );
    const hour = periodOf(Date.parse('2026-12-04T10:15:00Z'), 'hour', 'Asia/Kolkata'); // UTC+05:30
    assert.equal(new Date(hour.start).toISOString(), '2026-12-04T09:30:00.000Z');
    assert.equal(nextPeriod(hour, 'hour', 'Asia/Kolkata').start, hour.end);
  });

  it('know a time zone from a made-up one', () => {
    assert.equal(isTimeZone('America/New_York'), true);
    assert.equal(isTimeZone('Mars/Olympus'), false);
  });
});

describe('threshold multiples', () => {
  it('a one-time threshold fires once at or over its value; a recurring one at each multiple reached', () => {
    assert.deepEqual(multiplesReached({ code: 'a', value: 100, recurring: false }, 99), []);
    assert.deepEqual(multiplesReached({ code: 'a', value: 100, recurring: false }, 250), [1]);
    assert.deepEqual(multiplesReached({ code: 'b', value: 100, recurring: true }, 250), [1, 2]);
    assert.deepEqual(multiplesReached({ code: 'b', value: 100, recurring: true }, 100), [1]);
  });
});
