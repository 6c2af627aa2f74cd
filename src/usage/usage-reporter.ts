import type { Logger } from 'pino';
import { newId } from '../ids.js';
import type { CreateMessageResult, NewMessage } from '../domain/model.js';
import { nextPeriod, periodOf, type Period } from '../domain/usage-period.js';
import {
  crossingData,
  crossingId,
  eventIdOf,
  multiplesReached,
  reportData,
  reportId,
  sameReading,
  type ScheduledMeter,
  USAGE_REPORT,
  USAGE_THRESHOLD_CROSSED,
  type ThresholdCrossing,
  type UsageReport,
} from '../domain/usage-report.js';
import type { Meter } from '../domain/usage.js';
import type { Store } from '../store/store.js';

/** An ingest's commit may land a little after its received_at: arrivals are read again this far back. */
export const ARRIVAL_LAG_MS = 5_000;
/** Periods one run reports per meter at most (a backlog is caught up over the next runs). */
const PERIODS_PER_RUN = 48;
/** Periods one run looks at again per meter for late events at most. */
const LATE_PERIODS_PER_RUN = 200;
/** Report and threshold messages put in the outbox per run at most. */
const MESSAGES_PER_RUN = 1000;

export type UsageReporterStore = Pick<
  Store,
  | 'meterStates'
  | 'queryMeters'
  | 'writeUsageReports'
  | 'writeThresholdCrossings'
  | 'latestUsageReports'
  | 'thresholdCrossings'
  | 'usageArrivals'
  | 'applicationSubjects'
  | 'pendingUsageMessages'
  | 'markUsageMessage'
  | 'getApplication'
>;

export interface UsageReporterDeps {
  store: UsageReporterStore;
  outbox: { submit(input: NewMessage): Promise<CreateMessageResult> };
  retentionDays: number;
  clock: { now(): number };
  logger: Pick<Logger, 'warn'>;
}

/** A subject's reading of one period: its value and its value per group. */
type Reading = Pick<UsageReport, 'value' | 'groups'>;

/** The period every threshold of `m` counts in: the report's, or a calendar month in UTC. */
const thresholdPeriod = (m: Meter, t: number): Period =>
  periodOf(t, m.report?.every ?? 'month', m.report?.timezone ?? 'UTC');

/**
 * One run of usage reporting (docs/usage.md): each meter's periods that ended (plus grace) are
 * reported — a row per subject, written with the meter's progress in one transaction; periods
 * already reported whose events changed since are reported again as the next version; crossed
 * thresholds are written as rows; then every row not yet a message becomes one, through the
 * outbox, with an eventId derived from the row, so a row sent twice is one message.
 */
export class UsageReporter {
  constructor(private readonly deps: UsageReporterDeps) {}

  async run(): Promise<void> {
    const now = this.deps.clock.now();
    const meters = await this.deps.store.meterStates();
    for (const m of meters) {
      if (m.report) {
        const through = await this.reportPeriods(m, now);
        await this.reportLate({ ...m, reportedThrough: through }, now);
      }
      if (m.thresholds.length > 0) await this.checkThresholds(m, now);
    }
    await this.dispatch(new Map(meters.map((m) => [m.key, m])), now);
  }

  /** Report each period that ended (plus grace) since the last; the new reported-through. */
  private async reportPeriods(m: ScheduledMeter, now: number): Promise<number | null> {
    const r = m.report!;
    let through = m.reportedThrough;
    let p = periodOf(through ?? r.startAt, r.every, r.timezone);
    for (let n = 0; n < PERIODS_PER_RUN && p.end + r.graceSeconds * 1000 <= now; n++) {
      const readings = await this.read(m, p, null);
      const subjects = new Set(readings.keys());
      if (r.allSubjects) for (const s of await this.deps.store.applicationSubjects()) subjects.add(s);
      const reports = [...subjects].map((s) => this.report(m, s, p, 1, readings.get(s) ?? this.zero(m), now));
      // Late events are looked for from the first report on: what arrived before it is in it.
      await this.deps.store.writeUsageReports(m.key, reports, {
        reportedThrough: p.end,
        ...(m.lateCheckedAt === 0 && through === null ? { lateCheckedAt: now } : {}),
      });
      through = p.end;
      p = nextPeriod(p, r.every, r.timezone);
    }
    return through;
  }

  /** Periods already reported whose events changed since the last look: the next version where the reading differs. */
  private async reportLate(m: ScheduledMeter, now: number): Promise<void> {
    const r = m.report!;
    if (m.reportedThrough === null || m.lateCheckedAt === 0) return;
    const first = periodOf(r.startAt, r.every, r.timezone).start;
    const arrivals = await this.deps.store.usageArrivals(
      m.eventType,
      m.lateCheckedAt - ARRIVAL_LAG_MS,
      now,
      m.reportedThrough,
    );
    const byPeriod = new Map<number, { period: Period; subjects: Set<string> }>();
    for (const a of arrivals) {
      let p = periodOf(Math.max(a.from, first), r.every, r.timezone);
      while (p.start <= a.to && byPeriod.size < LATE_PERIODS_PER_RUN) {
        const entry = byPeriod.get(p.start) ?? { period: p, subjects: new Set<string>() };
        entry.subjects.add(a.subject);
        byPeriod.set(p.start, entry);
        p = nextPeriod(p, r.every, r.timezone);
      }
    }
    const reports: UsageReport[] = [];
    for (const { period, subjects } of byPeriod.values()) {
      const latest = new Map(
        (await this.deps.store.latestUsageReports(m.key, period.start, period.start + 1)).map((x) => [x.subject, x]),
      );
      const readings = await this.read(m, period, [...subjects]);
      for (const s of subjects) {
        const reading = readings.get(s) ?? this.zero(m);
        const prev = latest.get(s);
        if (prev && sameReading(prev, reading)) continue;
        reports.push(this.report(m, s, period, prev ? prev.version + 1 : 1, reading, now));
      }
    }
    await this.deps.store.writeUsageReports(m.key, reports, { lateCheckedAt: now });
  }

  /** Thresholds crossed in the current period by the subjects whose events arrived since the last look. */
  private async checkThresholds(m: ScheduledMeter, now: number): Promise<void> {
    const current = thresholdPeriod(m, now);
    const since = m.thresholdsCheckedAt === 0 ? current.start : m.thresholdsCheckedAt - ARRIVAL_LAG_MS;
    const arrivals = await this.deps.store.usageArrivals(m.eventType, since, now, Number.MAX_SAFE_INTEGER);
    // The period just ended too, while arrivals from before its end may not have been looked at.
    const previous = thresholdPeriod(m, current.start - 1);
    const periods = m.thresholdsCheckedAt !== 0 && since < previous.end ? [previous, current] : [current];
    const crossings: ThresholdCrossing[] = [];
    for (const period of periods) {
      const subjects = arrivals.filter((a) => a.to >= period.start && a.from < period.end).map((a) => a.subject);
      if (subjects.length === 0) continue;
      const crossed = new Set(
        (await this.deps.store.thresholdCrossings(m.key, period.start)).map(
          (x) => `${x.subject}\u0000${x.code}\u0000${x.multiple}`,
        ),
      );
      for (const [subject, reading] of await this.read(m, period, subjects)) {
        if (reading.value === null) continue;
        for (const t of m.thresholds)
          for (const k of multiplesReached(t, reading.value)) {
            if (crossed.has(`${subject}\u0000${t.code}\u0000${k}`)) continue;
            crossings.push({
              id: crossingId(m.key, subject, period.start, t.code, k),
              meter: m.key,
              subject,
              periodStart: period.start,
              code: t.code,
              multiple: k,
              threshold: t.value * k,
              value: reading.value,
              msgStatus: 'pending',
              msgId: null,
              createdAt: now,
            });
          }
      }
    }
    await this.deps.store.writeThresholdCrossings(m.key, crossings, { thresholdsCheckedAt: now });
  }

  /** Each subject's reading of `p` (all subjects with usage, or those asked). */
  private async read(m: Meter, p: Period, subjects: string[] | null): Promise<Map<string, Reading>> {
    const q = { from: p.start, to: p.end, subject: null, subjects, windowSize: null };
    const names = Object.keys(m.groupBy);
    // One call: the totals and the groups read one state, so an event committed meanwhile is in both or neither.
    const groupings = names.length > 0 ? [[], names] : [[]];
    const [totals, grouped = []] = await this.deps.store.queryMeters(
      m,
      groupings.map((groupBy) => ({ ...q, groupBy })),
    );
    const readings = new Map<string, Reading>();
    for (const row of totals) readings.set(row.subject, { value: row.value, groups: [] });
    for (const row of grouped) readings.get(row.subject)?.groups.push({ groupBy: row.groupBy, value: row.value });
    return readings;
  }

  /** The reading of a subject without usage: nothing counted, nothing summed; no maximum or last value. */
  private zero(m: Meter): Reading {
    return { value: ['count', 'sum', 'unique_count'].includes(m.aggregation) ? 0 : null, groups: [] };
  }

  private report(m: Meter, subject: string, p: Period, version: number, reading: Reading, now: number): UsageReport {
    return {
      id: reportId(m.key, subject, p.start, version),
      meter: m.key,
      subject,
      periodStart: p.start,
      periodEnd: p.end,
      version,
      ...reading,
      msgStatus: 'pending',
      msgId: null,
      createdAt: now,
    };
  }

  /** Every report and crossing not yet a message becomes one, in the application it is delivered to. */
  private async dispatch(meters: Map<string, Meter>, now: number): Promise<void> {
    const { reports, crossings } = await this.deps.store.pendingUsageMessages(MESSAGES_PER_RUN);
    const items = [
      ...reports.map((r) => ({ kind: 'report' as const, row: r, type: USAGE_REPORT, data: reportData(r) })),
      ...crossings.map((c) => ({
        kind: 'crossing' as const,
        row: c,
        type: USAGE_THRESHOLD_CROSSED,
        data: crossingData(c),
      })),
    ];
    await Promise.all(
      items.map(async ({ kind, row, type, data }) => {
        const deliverTo = meters.get(row.meter)?.report?.deliverTo ?? 'subject';
        const app = await this.deps.store.getApplication(deliverTo === 'subject' ? row.subject : deliverTo);
        if (!app) return this.deps.store.markUsageMessage(kind, row.id, 'no_app', null);
        const result = await this.deps.outbox.submit({
          id: newId('message', now),
          appId: app.id,
          eventType: type,
          eventId: eventIdOf(row.id),
          channels: null,
          tags: null,
          payload: JSON.stringify({ type, timestamp: new Date(now).toISOString(), data }),
          now,
          deliverAt: now,
          payloadExpiresAt: now + this.deps.retentionDays * 86_400_000,
        });
        if (result.ok) return this.deps.store.markUsageMessage(kind, row.id, 'sent', result.message.id);
        if (result.reason === 'duplicate_event_id')
          return this.deps.store.markUsageMessage(kind, row.id, 'sent', result.existing.id);
        this.deps.logger.warn({ id: row.id, reason: result.reason }, 'usage message refused by the outbox');
      }),
    );
  }
}
