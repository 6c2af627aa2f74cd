import { DateTime } from 'luxon';

/**
 * Report periods of a meter: calendar hours, days or months in an IANA time zone. A period is
 * [start, end) in epoch ms; a day or month starts at local midnight, so a day across a DST change
 * lasts 23 or 25 hours.
 */
export const REPORT_EVERY = ['hour', 'day', 'month'] as const;
export type ReportEvery = (typeof REPORT_EVERY)[number];

export interface Period {
  start: number;
  end: number;
}

/** Whether `zone` is a time zone Luxon (and so Intl) knows. */
export function isTimeZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}

/** The period of `every` in `zone` that holds instant `t`. */
export function periodOf(t: number, every: ReportEvery, zone: string): Period {
  const start = DateTime.fromMillis(t, { zone }).startOf(every);
  return { start: start.toMillis(), end: start.plus({ [`${every}s`]: 1 }).toMillis() };
}

/** The period right after `p`. */
export const nextPeriod = (p: Period, every: ReportEvery, zone: string): Period => periodOf(p.end, every, zone);
