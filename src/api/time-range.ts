import { ValidationError } from '../errors.js';
import type { TimeRange } from '../store/store.js';

/**
 * Time-range query parameters → epoch ms. The schema has checked the date-time format already;
 * a value that passes it and still does not parse, or a range that ends before it starts, is a
 * 422 naming the parameter.
 */
export function queryTime(value: string, name: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw ValidationError.single(['query', name], 'invalid date-time', 'value_error.datetime');
  return ms;
}

export function checkedRange(since: number, until: number, names: { since: string; until: string }): TimeRange {
  if (since > until)
    throw ValidationError.single(
      ['query', names.until],
      `${names.until} must not be before ${names.since}`,
      'value_error',
    );
  return { since, until };
}
