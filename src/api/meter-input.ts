import type { Static } from '@sinclair/typebox';
import { ValidationError, type ValidationIssue } from '../errors.js';
import { parsePath, type Meter, type MeterReport, type Threshold } from '../domain/usage.js';
import { isTimeZone } from '../domain/usage-period.js';
import { reportData, type UsageReport } from '../domain/usage-report.js';
import type { ApiContext } from './context.js';
import type { MeterReportIn, ThresholdIn } from './schemas/usage.js';
import { iso } from '../domain/iso-time.js';
import { queryTime } from './time-range.js';

/** A meter's input checked and completed (defaults, 422s), and a meter and its reports as the API shows them. */

export const meterOut = (m: Meter) => ({
  key: m.key,
  name: m.name,
  eventType: m.eventType,
  aggregation: m.aggregation,
  valueProperty: m.valueProperty,
  groupBy: m.groupBy,
  filter: m.filter,
  report: m.report === null ? null : { ...m.report, startAt: iso(m.report.startAt) },
  thresholds: m.thresholds,
  createdAt: iso(m.createdAt),
  updatedAt: iso(m.updatedAt),
});

type ReportIn = Static<typeof MeterReportIn>;
type ThresholdsIn = Array<Static<typeof ThresholdIn>>;

/** A report schedule as stored (defaults filled in), or a 422 naming what cannot apply. */
export async function reportOf(
  r: ReportIn | null | undefined,
  now: number,
  store: ApiContext['store'],
): Promise<MeterReport | null | undefined> {
  if (r === undefined || r === null) return r;
  const timezone = r.timezone ?? 'UTC';
  if (!isTimeZone(timezone))
    throw ValidationError.single(['body', 'report', 'timezone'], `${timezone} is not an IANA time zone`, 'value_error');
  if (r.deliverTo !== 'subject' && !(await store.getApplication(r.deliverTo)))
    throw ValidationError.single(
      ['body', 'report', 'deliverTo'],
      `no application ${r.deliverTo} (use 'subject' or an application ID or uid)`,
      'value_error',
    );
  const startAt = r.startAt === undefined ? now : queryTime(r.startAt, 'report.startAt');
  return {
    every: r.every,
    timezone,
    graceSeconds: r.graceSeconds ?? 300,
    deliverTo: r.deliverTo,
    allSubjects: r.allSubjects ?? false,
    startAt,
  };
}

/** Thresholds as stored; a code used twice is a 422. */
export function thresholdsOf(t: ThresholdsIn | undefined): Threshold[] | undefined {
  if (t === undefined) return undefined;
  const codes = t.map((x) => x.code);
  const twice = codes.filter((c, i) => codes.indexOf(c) !== i);
  if (twice.length > 0)
    throw ValidationError.single(['body', 'thresholds'], `code used twice: ${twice.join(', ')}`, 'value_error');
  return t.map((x) => ({ code: x.code, value: x.value, recurring: x.recurring ?? false }));
}

export const reportOut = (r: UsageReport) => ({
  ...reportData(r),
  status: r.msgStatus,
  msgId: r.msgId,
  createdAt: iso(r.createdAt),
});

const GROUP_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** 422 naming each path that is not one Hookrelay can apply, and each group name that is not a plain name. */
export function checkPaths(paths: Array<[string[], string]>, groupNames: string[] = []): void {
  const issues: ValidationIssue[] = [
    ...groupNames
      .filter((g) => !GROUP_NAME.test(g))
      .map((g) => ({
        loc: ['body', 'groupBy', g],
        msg: `${g} is not a group name (A-Z, a-z, 0-9, _, -)`,
        type: 'value_error',
      })),
    ...paths
      .filter(([, p]) => parsePath(p) === null)
      .map(([loc, p]) => ({ loc: ['body', ...loc], msg: `${p} is not a path like $.a.b`, type: 'value_error' })),
  ];
  if (issues.length > 0) throw new ValidationError(issues);
}
