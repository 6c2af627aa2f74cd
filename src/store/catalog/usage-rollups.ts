import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Meter, MeterQuery, MeterRow } from '../../domain/usage.js';
import type { CatalogContext } from './catalog-context.js';
import { groupsOf, meterConditions, path } from './meter-sql.js';
import { raw, all, changed, first, type Steps } from './steps.js';

/**
 * Hourly rollups of a meter: per (subject, UTC hour, values of all its groups) the partial
 * aggregates of the events it counts — how many, how many carried a number, their sum and
 * maximum, and the latest event (time, source, id) with its number. Partials merge exactly, so a
 * query sums hours instead of reading every event (meter-query.ts). The report job writes them
 * for the hours in [rolled_from, rolled_through) and rewrites an hour when late events arrive in
 * it; `rollup_checked_at` is the arrival time up to which it has done so.
 */

export const HOUR = 3_600_000;
/** An ingest's commit may land a little after its received_at: arrivals are read again this far back. */
export const ROLLUP_LAG_MS = 5_000;

export interface Partial {
  w: number;
  subject: string;
  groups: string;
  n: number;
  nums: number;
  total: number | null;
  vmax: number | null;
  lastTime: number | null;
  lastSource: string | null;
  lastId: string | null;
  lastValue: number | null;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

const toPartial = (r: Record<string, unknown>): Partial => ({
  w: Number(r.w),
  subject: String(r.subject),
  groups: String(r.groups),
  n: Number(r.n),
  nums: Number(r.nums),
  total: num(r.total),
  vmax: num(r.vmax),
  lastTime: num(r.last_time),
  lastSource: (r.last_source as string | null) ?? null,
  lastId: (r.last_id as string | null) ?? null,
  lastValue: num(r.last_value),
});

/** The SELECT of partials per (bucket, subject, groups) of the events matching `where`. */
function partialsSelect(c: CatalogContext, m: Meter, where: RawBuilder<SqlBool>, bucket: RawBuilder<number>) {
  const value =
    m.valueProperty === null ? sql`CAST(NULL AS DOUBLE PRECISION)` : c.jsonNumber('data', path(m.valueProperty));
  const events = sql`SELECT ${bucket} AS w, subject, ${groupsOf(c, m)} AS groups, ${value} AS v, time, source, event_id
    FROM usage_events WHERE ${where}`;
  const sums = sql`SELECT w, subject, groups, COUNT(*) AS n, COUNT(v) AS nums, SUM(v) AS total, MAX(v) AS vmax
    FROM e GROUP BY w, subject, groups`;
  if (m.aggregation !== 'last')
    return sql<Record<string, unknown>>`WITH e AS (${events}) SELECT a.*, CAST(NULL AS BIGINT) AS last_time,
      CAST(NULL AS TEXT) AS last_source, CAST(NULL AS TEXT) AS last_id, CAST(NULL AS DOUBLE PRECISION) AS last_value
      FROM (${sums}) a`;
  // The latest event per group, ties broken by source and id (as the query over events does), in
  // the same pass as the sums: one sort, no join for a planner without statistics to misjudge.
  return sql<Record<string, unknown>>`WITH e AS (${events})
    SELECT w, subject, groups, n, nums, total, vmax, time AS last_time, source AS last_source, event_id AS last_id,
      v AS last_value
    FROM (SELECT w, subject, groups, time, source, event_id, v,
        COUNT(*) OVER p AS n, COUNT(v) OVER p AS nums, SUM(v) OVER p AS total, MAX(v) OVER p AS vmax,
        ROW_NUMBER() OVER (p ORDER BY time DESC, source DESC, event_id DESC) AS rn
      FROM e WINDOW p AS (PARTITION BY w, subject, groups)) l
    WHERE rn = 1`;
}

/** Partials of the events matching `where`, per `bucket`. */
export function* partials(
  c: CatalogContext,
  m: Meter,
  where: RawBuilder<SqlBool>,
  bucket: RawBuilder<number>,
): Steps<Partial[]> {
  const q = partialsSelect(c, m, where, bucket);
  return (yield* all(raw(c.qb, q))).map(toPartial);
}

export function* rollupState(
  c: CatalogContext,
  key: string,
): Steps<{ from: number | null; through: number | null; checkedAt: number }> {
  const r = yield* first(
    c.qb.selectFrom('meters').select(['rolled_from', 'rolled_through', 'rollup_checked_at']).where('key', '=', key),
  );
  return {
    from: num(r?.rolled_from),
    through: num(r?.rolled_through),
    checkedAt: Number(r?.rollup_checked_at ?? 0),
  };
}

/** (subject, hour) pairs with events of `type` that arrived after `checkedAt` (less the lag) and fall in [from, to); at most `limit`. */
export function* lateHours(
  c: CatalogContext,
  type: string,
  checkedAt: number,
  from: number,
  to: number,
  limit: number,
): Steps<Array<{ subject: string; hour: number }>> {
  const hour = sql<number>`time - time % CAST(${HOUR} AS BIGINT)`;
  const rows = yield* all(
    c.qb
      .selectFrom('usage_events')
      .select(['subject', hour.as('hour')])
      .distinct()
      .where('type', '=', type)
      .where('received_at', '>', checkedAt - ROLLUP_LAG_MS)
      .where('time', '>=', from)
      .where('time', '<', to)
      .limit(limit),
  );
  return rows.map((r) => ({ subject: r.subject, hour: Number(r.hour) }));
}

/** The rollup rows of [from, to), as partials per hour. */
export function* rollupRows(
  c: CatalogContext,
  key: string,
  from: number,
  to: number,
  subjects: string[] | null,
): Steps<Partial[]> {
  let q = c.qb
    .selectFrom('usage_rollups')
    .select([
      sql<number>`hour`.as('w'),
      'subject',
      'groups',
      'n',
      'nums',
      'total',
      'vmax',
      'last_time',
      'last_source',
      'last_id',
      'last_value',
    ]);
  q = q.where('meter_key', '=', key).where('hour', '>=', from).where('hour', '<', to);
  // One subject by equality: the primary key's (meter, subject, hour) range, the obvious plan even
  // before the table has statistics (a list leaves the planner the hour index instead).
  if (subjects?.length === 1) q = q.where('subject', '=', subjects[0]);
  else if (subjects) q = q.where(c.isIn('subject', subjects));
  return (yield* all(q)).map((r) => toPartial(r as Record<string, unknown>));
}

/**
 * Write the rollups of [from, to) — of `subjects` only, when given — from the events, replacing
 * what was there; with the meter's new bounds. The caller's transaction makes it one change.
 */
export function* rollHours(
  c: CatalogContext,
  m: Meter,
  from: number,
  to: number,
  subjects: string[] | null,
): Steps<void> {
  let del = c.qb
    .deleteFrom('usage_rollups')
    .where('meter_key', '=', m.key)
    .where('hour', '>=', from)
    .where('hour', '<', to);
  if (subjects) del = del.where(c.isIn('subject', subjects));
  yield* changed(del);
  const where = meterConditions(c, m, { from, to, subject: null, subjects });
  const select = partialsSelect(c, m, where, sql<number>`time - time % CAST(${HOUR} AS BIGINT)`);
  const insert = sql`INSERT INTO usage_rollups (meter_key, subject, hour, groups, n, nums, total, vmax, last_time,
      last_source, last_id, last_value)
    SELECT ${m.key}, subject, w, groups, n, nums, total, vmax, last_time, last_source, last_id, last_value FROM (${select}) p`;
  yield* changed(raw(c.qb, insert));
}

export function* setRollupProgress(
  c: CatalogContext,
  key: string,
  p: { from?: number; through?: number; checkedAt?: number },
): Steps<void> {
  yield* changed(
    c.qb
      .updateTable('meters')
      .set({
        ...(p.from !== undefined ? { rolled_from: p.from } : {}),
        ...(p.through !== undefined ? { rolled_through: p.through } : {}),
        ...(p.checkedAt !== undefined ? { rollup_checked_at: p.checkedAt } : {}),
      })
      .where('key', '=', key),
  );
}

/** The earliest event time of `type`, or null when there is none. */
export function* firstEventTime(c: CatalogContext, type: string): Steps<number | null> {
  const r = yield* first(
    c.qb
      .selectFrom('usage_events')
      .select(sql<number>`MIN(time)`.as('t'))
      .where('type', '=', type),
  );
  return num(r?.t);
}

const later = (a: Partial, b: Partial): boolean =>
  a.lastTime! !== b.lastTime!
    ? a.lastTime! > b.lastTime!
    : a.lastSource! !== b.lastSource!
      ? a.lastSource! > b.lastSource!
      : a.lastId! > b.lastId!;

/** Partials merged per (window, subject, asked groups) into the meter's rows, in the order the query over events gives. */
export function mergePartials(m: Meter, parts: Partial[], q: MeterQuery, size: number | null): MeterRow[] {
  const names = Object.keys(m.groupBy).sort();
  const merged = new Map<string, { w: number; subject: string; groupBy: Record<string, string | null>; p: Partial }>();
  for (const p of parts) {
    const values = JSON.parse(p.groups) as Array<string | null>;
    const groupBy = Object.fromEntries(q.groupBy.map((g) => [g, values[names.indexOf(g)] ?? null]));
    const key = JSON.stringify([p.w, p.subject, q.groupBy.map((g) => groupBy[g])]);
    const acc = merged.get(key);
    if (!acc) {
      merged.set(key, { w: p.w, subject: p.subject, groupBy, p: { ...p } });
      continue;
    }
    const a = acc.p;
    a.n += p.n;
    a.nums += p.nums;
    a.total = p.total === null ? a.total : (a.total ?? 0) + p.total;
    a.vmax = p.vmax === null ? a.vmax : a.vmax === null ? p.vmax : Math.max(a.vmax, p.vmax);
    if (p.lastTime !== null && (a.lastTime === null || later(p, a)))
      Object.assign(a, { lastTime: p.lastTime, lastSource: p.lastSource, lastId: p.lastId, lastValue: p.lastValue });
  }
  const value = (p: Partial): number | null =>
    m.aggregation === 'count'
      ? p.n
      : m.aggregation === 'sum'
        ? p.nums > 0
          ? p.total
          : null
        : m.aggregation === 'max'
          ? p.nums > 0
            ? p.vmax
            : null
          : p.lastValue;
  const cmp = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);
  return [...merged.values()]
    .sort(
      (a, b) =>
        a.w - b.w || cmp(a.subject, b.subject) || q.groupBy.reduce((r, g) => r || cmp(a.groupBy[g], b.groupBy[g]), 0),
    )
    .map((r) => ({
      windowStart: r.w,
      windowEnd: size === null ? q.to : Math.min(r.w + size, q.to),
      subject: r.subject,
      groupBy: r.groupBy,
      value: value(r.p),
    }));
}

/** Hours [from, to) rolled up, and the meter's bounds moved, in the caller's transaction. */
export function* rollMeter(
  c: CatalogContext,
  m: Meter,
  from: number,
  to: number,
  progress: { from?: number; through?: number; checkedAt?: number },
): Steps<void> {
  yield* rollHours(c, m, from, to, null);
  yield* setRollupProgress(c, m.key, progress);
}

/** Pairs of late hours rewritten per run at most; more wait for the next run (queries read those hours from events meanwhile). */
const LATE_PAIRS = 10_000;

/**
 * The hours late events arrived in since the last look, rewritten from the events, and the look
 * moved to `now` (taken before the read) — unless more than a run's share remain.
 */
export function* refoldLate(c: CatalogContext, m: Meter, now: number): Steps<void> {
  const state = yield* rollupState(c, m.key);
  if (state.from === null || state.through === null) return;
  const pairs = yield* lateHours(c, m.eventType, state.checkedAt, state.from, state.through, LATE_PAIRS + 1);
  const byHour = new Map<number, string[]>();
  for (const p of pairs.slice(0, LATE_PAIRS)) byHour.set(p.hour, [...(byHour.get(p.hour) ?? []), p.subject]);
  for (const [hour, subjects] of byHour) yield* rollHours(c, m, hour, hour + HOUR, subjects);
  if (pairs.length <= LATE_PAIRS) yield* setRollupProgress(c, m.key, { checkedAt: now });
}

/** A meter's rollups dropped (its groups or filter changed): the report job writes them again. */
export function* resetRollups(c: CatalogContext, key: string): Steps<void> {
  yield* changed(c.qb.deleteFrom('usage_rollups').where('meter_key', '=', key));
  yield* changed(
    c.qb
      .updateTable('meters')
      .set({ rolled_from: null, rolled_through: null, rollup_checked_at: 0 })
      .where('key', '=', key),
  );
}
