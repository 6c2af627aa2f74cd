import { createHash } from 'node:crypto';
import type { Meter, Threshold } from './usage.js';
import { iso } from './iso-time.js';

/**
 * What a meter sends: one `usage.report` per (subject, period, version) and one
 * `usage.threshold.crossed` per (subject, period, code, multiple). Each is written as a row
 * before it becomes a message, and its IDs are derived from what it is about, so two processes
 * (or a restart) that produce it again write nothing twice: the row is unique, and the message's
 * eventId is refused as a duplicate.
 */

export const USAGE_REPORT = 'usage.report';
export const USAGE_THRESHOLD_CROSSED = 'usage.threshold.crossed';

export interface GroupValue {
  groupBy: Record<string, string | null>;
  value: number | null;
}

export interface UsageReport {
  id: string;
  meter: string;
  subject: string;
  periodStart: number;
  periodEnd: number;
  version: number;
  value: number | null;
  groups: GroupValue[];
  /** `pending` until its message is in the outbox; `sent`; `no_app` when its subject has no application. */
  msgStatus: 'pending' | 'sent' | 'no_app';
  msgId: string | null;
  createdAt: number;
}

export interface ThresholdCrossing {
  id: string;
  meter: string;
  subject: string;
  periodStart: number;
  code: string;
  /** 1 for a one-time threshold; the k-th multiple for a recurring one. */
  multiple: number;
  /** The level crossed: the threshold's value × multiple. */
  threshold: number;
  /** The subject's usage in the period when the crossing was seen. */
  value: number;
  msgStatus: UsageReport['msgStatus'];
  msgId: string | null;
  createdAt: number;
}

const digest = (parts: Array<string | number>): string =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24);

/** IDs sort by their period's start (then at random), so a list by ID runs by period. */
const periodPrefix = (periodStart: number) => Math.max(0, periodStart).toString(36).padStart(9, '0');

export const reportId = (meter: string, subject: string, periodStart: number, version: number): string =>
  `rpt_${periodPrefix(periodStart)}${digest([meter, subject, periodStart, version])}`;

export const crossingId = (meter: string, subject: string, periodStart: number, code: string, multiple: number) =>
  `thr_${periodPrefix(periodStart)}${digest([meter, subject, periodStart, code, multiple])}`;

/** The message eventId of a report or crossing: its own ID, so a repeat is refused by the outbox. */
export const eventIdOf = (id: string): string => `usage.${id}`;

/** Recurring thresholds fire at most this many multiples per period and code. */
export const MAX_MULTIPLES = 1000;

/** The multiples of `t` that `value` reaches: [1] or none for a one-time threshold; 1…k for a recurring one. */
export function multiplesReached(t: Threshold, value: number): number[] {
  if (!(t.value > 0) || !(value >= t.value)) return [];
  if (!t.recurring) return [1];
  const k = Math.min(MAX_MULTIPLES, Math.floor(value / t.value));
  return Array.from({ length: k }, (_, i) => i + 1);
}

/** Two readings of a period agree: same total and same value per group. */
export function sameReading(
  a: Pick<UsageReport, 'value' | 'groups'>,
  b: Pick<UsageReport, 'value' | 'groups'>,
): boolean {
  const key = (g: GroupValue[]) =>
    JSON.stringify(g.map((x) => [JSON.stringify(x.groupBy), x.value]).sort((p, q) => (p[0]! < q[0]! ? -1 : 1)));
  return a.value === b.value && key(a.groups) === key(b.groups);
}

/** The `data` of a `usage.report` message. */
export const reportData = (r: UsageReport) => ({
  reportId: r.id,
  meter: r.meter,
  subject: r.subject,
  periodStart: iso(r.periodStart),
  periodEnd: iso(r.periodEnd),
  value: r.value,
  groups: r.groups,
  version: r.version,
});

/** The `data` of a `usage.threshold.crossed` message. */
export const crossingData = (c: ThresholdCrossing) => ({
  code: c.code,
  meter: c.meter,
  subject: c.subject,
  value: c.value,
  threshold: c.threshold,
  multiple: c.multiple,
  periodStart: iso(c.periodStart),
});

/** How far a meter's reporting has come (what the report job reads and advances). */
export interface MeterProgress {
  /** End of the last period whose reports are written; null before the first. */
  reportedThrough?: number | null;
  /** Late events received up to here have been looked at. */
  lateCheckedAt?: number;
  /** Threshold crossings of events received up to here have been looked at. */
  thresholdsCheckedAt?: number;
}

/** A meter with its progress: reports, thresholds, rollups. */
export type ScheduledMeter = Meter & {
  reportedThrough: number | null;
  lateCheckedAt: number;
  thresholdsCheckedAt: number;
  /** The hours its rollups cover: [rolledFrom, rolledThrough); null before the first. */
  rolledFrom: number | null;
  rolledThrough: number | null;
};

export type UsageMessageKind = 'report' | 'crossing';
