import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDateTime, formatDuration, formatNumber, formatPercent, formatRelative, prettyBody } from './format.js';

// Dates and numbers are shown in the browser's locale; these build the expected text the same way.
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

describe('formatDuration', () => {
  test('milliseconds, seconds, minutes, hours, days', () => {
    const cases: Array<[number, string]> = [
      [0, '0 ms'],
      [12.4, '12 ms'],
      [999, '999 ms'],
      [1_000, '1.0 s'],
      [1_250, '1.3 s'],
      [9_940, '9.9 s'],
      [10_000, '10 s'],
      [59_400, '59 s'],
      [60_000, '1 min'],
      [89_000, '1 min'],
      [90_000, '2 min'],
      [3_540_000, '59 min'],
      [3_600_000, '1.0 h'],
      [5_400_000, '1.5 h'],
      [86_400_000, '1.0 d'],
      [3.5 * 86_400_000, '3.5 d'],
    ];
    for (const [ms, text] of cases) assert.equal(formatDuration(ms), text, `${ms} ms`);
  });

  test('nothing to show is a dash', () => {
    assert.equal(formatDuration(null), '—');
    assert.equal(formatDuration(undefined), '—');
    assert.equal(formatDuration(Number.NaN), '—');
  });
});

test('formatPercent: one decimal, none at the ends', () => {
  assert.equal(formatPercent(0.5), '50.0 %');
  assert.equal(formatPercent(0.12345), '12.3 %');
  assert.equal(formatPercent(0.999), '99.9 %');
  assert.equal(formatPercent(0.9995), '100 %');
  assert.equal(formatPercent(1), '100 %');
  assert.equal(formatPercent(0.0005), '0 %');
  assert.equal(formatPercent(0), '0 %');
  assert.equal(formatPercent(null), '—');
});

test("formatNumber: the locale's grouping, a dash for nothing", () => {
  assert.equal(formatNumber(1_234_567), (1_234_567).toLocaleString());
  assert.equal(formatNumber(0), '0');
  assert.equal(formatNumber(null), '—');
  assert.equal(formatNumber(undefined), '—');
});

test('formatDateTime: any date form, a dash for nothing or garbage', () => {
  const date = new Date(Date.UTC(2025, 0, 31, 14, 5, 9));
  assert.equal(formatDateTime('2025-01-31T14:05:09Z'), absolute.format(date));
  assert.equal(formatDateTime(date.getTime()), absolute.format(date));
  assert.equal(formatDateTime(date), absolute.format(date));
  assert.equal(formatDateTime(null), '—');
  assert.equal(formatDateTime('not a date'), '—');
});

test('formatRelative picks the unit by distance: seconds under 45 s, minutes under 45 min, hours under 22 h, then days', () => {
  const now = Date.UTC(2025, 0, 31, 12, 0, 0);
  const at = (ms: number) => new Date(now + ms).toISOString();
  assert.equal(formatRelative(at(-30_000), now), relative.format(-30, 'second'));
  assert.equal(formatRelative(at(-44_000), now), relative.format(-44, 'second'));
  assert.equal(formatRelative(at(-45_000), now), relative.format(-1, 'minute'));
  assert.equal(formatRelative(at(5 * 60_000), now), relative.format(5, 'minute'));
  assert.equal(formatRelative(at(-45 * 60_000), now), relative.format(-1, 'hour'));
  assert.equal(formatRelative(at(21 * 3_600_000), now), relative.format(21, 'hour'));
  assert.equal(formatRelative(at(-22 * 3_600_000), now), relative.format(-1, 'day'));
  assert.equal(formatRelative(at(-3 * 86_400_000), now), relative.format(-3, 'day'));
  assert.equal(formatRelative(null, now), '—');
  assert.equal(formatRelative('garbage', now), '—');
});

test('prettyBody: JSON text and values indented, other text as it is', () => {
  assert.equal(prettyBody('{"a":1,"b":[true]}'), '{\n  "a": 1,\n  "b": [\n    true\n  ]\n}');
  assert.equal(prettyBody('<html>oops</html>'), '<html>oops</html>');
  assert.equal(prettyBody(''), '');
  assert.equal(prettyBody({ id: 'msg_1' }), '{\n  "id": "msg_1"\n}');
  assert.equal(prettyBody(null), 'null');
  assert.equal(prettyBody(undefined), '');
});
