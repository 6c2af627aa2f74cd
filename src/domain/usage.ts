/**
 * Usage metering: producers report usage events (CloudEvents: `subject` is the customer, `data`
 * the measurement); a meter aggregates the events of one type per subject over time windows.
 * Paths into `data` are simple JSONPath: `$.a.b` (names of letters, digits, `_` and `-`).
 */

import type { ReportEvery } from './usage-period.js';

export const AGGREGATIONS = ['count', 'sum', 'max', 'last', 'unique_count'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

/** Every aggregation but `count` reads a value at `valueProperty`. */
export const needsValue = (a: Aggregation): boolean => a !== 'count';

export interface UsageEvent {
  source: string;
  id: string;
  type: string;
  subject: string;
  /** Epoch ms. */
  time: number;
  data: unknown;
}

export interface Meter {
  key: string;
  name: string;
  eventType: string;
  aggregation: Aggregation;
  /** `$.path` of the number (or, for unique_count, the value) aggregated; null for count. */
  valueProperty: string | null;
  /** Group name → `$.path` of the value to group by. */
  groupBy: Record<string, string>;
  /** `$.path` → the value an event's data must hold there to count. */
  filter: Record<string, string | number | boolean>;
  /** Reports sent as `usage.report` messages at each period's end (null: none). */
  report: MeterReport | null;
  /** Levels whose crossing in a period sends `usage.threshold.crossed` (usage-report.ts). */
  thresholds: Threshold[];
  createdAt: number;
  updatedAt: number;
}

export interface MeterReport {
  every: ReportEvery;
  /** IANA time zone of the period boundaries. */
  timezone: string;
  /** How long after a period's end its reports wait for late events. */
  graceSeconds: number;
  /** `subject`: each subject's own application (by ID or uid); otherwise this application's ID or uid. */
  deliverTo: string;
  /** Report every application (by uid, else ID) as a subject, those without usage at 0 too. */
  allSubjects: boolean;
  /** The first period reported is the one holding this instant. */
  startAt: number;
}

export interface Threshold {
  code: string;
  value: number;
  /** Fires at each multiple of `value`, not only the first. */
  recurring: boolean;
}

const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;

/** The segments of `$.a.b`, or null when it is not a path Hookrelay can apply. */
export function parsePath(path: string): string[] | null {
  if (!path.startsWith('$.')) return null;
  const segments = path.slice(2).split('.');
  if (segments.length > 8 || !segments.every((s) => SEGMENT.test(s))) return null;
  return segments;
}

/** The value at `segments` in `data` (undefined when absent). */
export function valueAt(data: unknown, segments: string[]): unknown {
  let v: unknown = data;
  for (const s of segments) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[s];
  }
  return v;
}

export const WINDOWS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
export type WindowSize = keyof typeof WINDOWS;

/** One row of a meter query: a window, a subject, the group values, the aggregate (null: no value). */
export interface MeterRow {
  windowStart: number;
  windowEnd: number;
  subject: string;
  groupBy: Record<string, string | null>;
  value: number | null;
}

export interface MeterQuery {
  from: number;
  to: number;
  subject: string | null;
  /** Only these subjects (with `subject` null); null for all. */
  subjects?: string[] | null;
  windowSize: WindowSize | null;
  /** Names of the meter's groups to split by (the others are summed over). */
  groupBy: string[];
}
