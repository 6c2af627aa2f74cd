import { sql, type Selectable } from 'kysely';
import type { MeterProgress, ThresholdCrossing, UsageMessageKind, UsageReport } from '../../domain/usage-report.js';
import type { Page, PageQuery } from '../store.js';
import type { CatalogContext } from './catalog-context.js';
import { paginate } from './paginate.js';
import type { UsageReportsTable, UsageThresholdsTable } from './schema.js';
import { all, changed, type Steps } from './steps.js';

/**
 * The rows of reports and threshold crossings (domain/usage-report.ts), and the meters' progress.
 * A batch of rows and the progress it stands for are written in one transaction, so a period is
 * either reported for every subject or not at all; a row written again (another process, a
 * restart) is a no-op by its unique key.
 */

function* advance(c: CatalogContext, meterKey: string, p: MeterProgress): Steps<void> {
  if (p.reportedThrough === undefined && p.lateCheckedAt === undefined && p.thresholdsCheckedAt === undefined) return;
  yield* changed(
    c.qb
      .updateTable('meters')
      .set({
        ...(p.reportedThrough !== undefined ? { reported_through: p.reportedThrough } : {}),
        ...(p.lateCheckedAt !== undefined ? { late_checked_at: p.lateCheckedAt } : {}),
        ...(p.thresholdsCheckedAt !== undefined ? { thresholds_checked_at: p.thresholdsCheckedAt } : {}),
      })
      .where('key', '=', meterKey),
  );
}

/** Rows per INSERT: 11 parameters each. */
const ROWS = 500;

/** Write `reports` (each once by its key) and the meter's progress, in the caller's transaction. */
export function* writeReports(
  c: CatalogContext,
  meterKey: string,
  reports: UsageReport[],
  progress: MeterProgress,
): Steps<void> {
  for (let i = 0; i < reports.length; i += ROWS)
    yield* changed(
      c.qb
        .insertInto('usage_reports')
        .values(
          reports.slice(i, i + ROWS).map((r) => ({
            id: r.id,
            meter_key: r.meter,
            subject: r.subject,
            period_start: r.periodStart,
            period_end: r.periodEnd,
            version: r.version,
            value: r.value,
            groups: c.values.json(r.groups),
            msg_status: r.msgStatus,
            msg_id: r.msgId,
            created_at: r.createdAt,
          })),
        )
        .onConflict((oc) => oc.doNothing()),
    );
  yield* advance(c, meterKey, progress);
}

/** Write `crossings` (each once by its key) and the meter's progress, in the caller's transaction. */
export function* writeCrossings(
  c: CatalogContext,
  meterKey: string,
  crossings: ThresholdCrossing[],
  progress: MeterProgress,
): Steps<void> {
  for (let i = 0; i < crossings.length; i += ROWS)
    yield* changed(
      c.qb
        .insertInto('usage_thresholds')
        .values(
          crossings.slice(i, i + ROWS).map((x) => ({
            id: x.id,
            meter_key: x.meter,
            subject: x.subject,
            period_start: x.periodStart,
            code: x.code,
            multiple: x.multiple,
            threshold: x.threshold,
            value: x.value,
            msg_status: x.msgStatus,
            msg_id: x.msgId,
            created_at: x.createdAt,
          })),
        )
        .onConflict((oc) => oc.doNothing()),
    );
  yield* advance(c, meterKey, progress);
}

const toReport = (c: CatalogContext, r: Selectable<UsageReportsTable>): UsageReport => ({
  id: r.id,
  meter: r.meter_key,
  subject: r.subject,
  periodStart: Number(r.period_start),
  periodEnd: Number(r.period_end),
  version: r.version,
  value: r.value === null ? null : Number(r.value),
  groups: c.values.readJson(r.groups),
  msgStatus: r.msg_status as UsageReport['msgStatus'],
  msgId: r.msg_id,
  createdAt: Number(r.created_at),
});

const toCrossing = (r: Selectable<UsageThresholdsTable>): ThresholdCrossing => ({
  id: r.id,
  meter: r.meter_key,
  subject: r.subject,
  periodStart: Number(r.period_start),
  code: r.code,
  multiple: r.multiple,
  threshold: Number(r.threshold),
  value: Number(r.value),
  msgStatus: r.msg_status as ThresholdCrossing['msgStatus'],
  msgId: r.msg_id,
  createdAt: Number(r.created_at),
});

/** The latest version of each report of `meterKey` for periods starting in [from, to), per subject. */
export function* latestReports(c: CatalogContext, meterKey: string, from: number, to: number): Steps<UsageReport[]> {
  const rows = yield* all(
    c.qb
      .selectFrom('usage_reports')
      .selectAll()
      .where('meter_key', '=', meterKey)
      .where('period_start', '>=', from)
      .where('period_start', '<', to)
      .orderBy('version', 'asc'),
  );
  const latest = new Map<string, UsageReport>();
  for (const r of rows) latest.set(`${r.subject}\u0000${r.period_start}`, toReport(c, r));
  return [...latest.values()];
}

/** The multiples already crossed for `meterKey` in the period starting at `periodStart`. */
export function* crossingsOf(c: CatalogContext, meterKey: string, periodStart: number): Steps<ThresholdCrossing[]> {
  const rows = yield* all(
    c.qb
      .selectFrom('usage_thresholds')
      .selectAll()
      .where('meter_key', '=', meterKey)
      .where('period_start', '=', periodStart),
  );
  return rows.map(toCrossing);
}

/** Per subject, the earliest and latest event time among events of `type` received in (since, until] with time before `before`. */
export function* arrivals(
  c: CatalogContext,
  type: string,
  since: number,
  until: number,
  before: number,
): Steps<Array<{ subject: string; from: number; to: number }>> {
  const rows = yield* all(
    c.qb
      .selectFrom('usage_events')
      .select(['subject', sql<number>`MIN(time)`.as('first'), sql<number>`MAX(time)`.as('last')])
      .where('type', '=', type)
      .where('received_at', '>', since)
      .where('received_at', '<=', until)
      .where('time', '<', before)
      .groupBy('subject'),
  );
  return rows.map((r) => ({ subject: r.subject, from: Number(r.first), to: Number(r.last) }));
}

/** Every application as a report subject: its uid, else its ID. */
export function* applicationSubjects(c: CatalogContext): Steps<string[]> {
  const rows = yield* all(c.qb.selectFrom('applications').select(['id', 'uid']));
  return rows.map((r) => r.uid ?? r.id);
}

/** Reports and crossings whose message is not in the outbox yet, oldest first. */
export function* pendingUsageMessages(
  c: CatalogContext,
  limit: number,
): Steps<{ reports: UsageReport[]; crossings: ThresholdCrossing[] }> {
  const reports = yield* all(
    c.qb.selectFrom('usage_reports').selectAll().where('msg_status', '=', 'pending').orderBy('created_at').limit(limit),
  );
  const crossings = yield* all(
    c.qb
      .selectFrom('usage_thresholds')
      .selectAll()
      .where('msg_status', '=', 'pending')
      .orderBy('created_at')
      .limit(limit),
  );
  return { reports: reports.map((r) => toReport(c, r)), crossings: crossings.map(toCrossing) };
}

export function* markUsageMessage(
  c: CatalogContext,
  kind: UsageMessageKind,
  id: string,
  status: 'sent' | 'no_app',
  msgId: string | null,
): Steps<void> {
  const table = kind === 'report' ? 'usage_reports' : 'usage_thresholds';
  yield* changed(c.qb.updateTable(table).set({ msg_status: status, msg_id: msgId }).where('id', '=', id));
}

/** A meter's reports, newest period first (then subject, version), as an audit of what was sent. */
export function listUsageReports(
  c: CatalogContext,
  meterKey: string,
  subject: string | null,
  page: PageQuery,
): Steps<Page<UsageReport>> {
  let q = c.qb.selectFrom('usage_reports').selectAll().where('meter_key', '=', meterKey);
  if (subject !== null) q = q.where('subject', '=', subject);
  return paginate(q, page, { key: 'id', keyOf: (r) => r.id, map: (r) => toReport(c, r) });
}
