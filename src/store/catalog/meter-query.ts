import { sql, type RawBuilder } from 'kysely';
import { WINDOWS, type Meter, type MeterQuery, type MeterRow } from '../../domain/usage.js';
import { bucketOf, meterConditions, path } from './meter-sql.js';
import type { CatalogContext } from './catalog-context.js';
import { HOUR, lateHours, mergePartials, partials, rollupRows, rollupState } from './usage-rollups.js';
import { raw, all, type Steps } from './steps.js';

/**
 * A meter's query. Hours its rollups cover (usage-rollups.ts) are read from them; the rest, and
 * any hour with events that arrived after the rollups last looked, from the events themselves:
 * so the answer is exact at the moment it runs, and a month of one subject reads ~720 rows
 * instead of every event. `unique_count`, and windows that do not fall on hours, read the events.
 */
export function* queryMeter(c: CatalogContext, m: Meter, q: MeterQuery): Steps<MeterRow[]> {
  const size = q.windowSize === null ? null : WINDOWS[q.windowSize];
  // Windows must fall on hours to be sums of hours; one window may start anywhere (its first part is read from events).
  if (m.aggregation === 'unique_count' || (size !== null && (q.from % HOUR !== 0 || size % HOUR !== 0)))
    return yield* eventQuery(c, m, q);
  const start = q.from % HOUR === 0 ? q.from : q.from - (q.from % HOUR) + HOUR;
  const state = yield* rollupState(c, m.key);
  if (state.from === null || state.through === null || start < state.from) return yield* eventQuery(c, m, q);
  const cut = Math.min(state.through, q.to - (q.to % HOUR));
  if (cut <= start) return yield* eventQuery(c, m, q);
  // Events folded in after the rollups' last look: their hours are read from the events (here: all of it).
  if ((yield* lateHours(c, m.eventType, state.checkedAt, start, cut, 1)).length > 0) return yield* eventQuery(c, m, q);
  const subjects = q.subject !== null ? [q.subject] : (q.subjects ?? null);
  const rolled = yield* rollupRows(c, m.key, start, cut, subjects);
  const windowOf = (t: number) => (size === null ? q.from : q.from + Math.floor((t - q.from) / size) * size);
  const fromEvents = (from: number, to: number) =>
    partials(c, m, meterConditions(c, m, { ...q, from, to }), bucketOf(q.from, size));
  const head = start > q.from ? yield* fromEvents(q.from, start) : [];
  const tail = cut < q.to ? yield* fromEvents(cut, q.to) : [];
  return mergePartials(m, [...head, ...rolled.map((r) => ({ ...r, w: windowOf(r.w) })), ...tail], q, size);
}

/** Several queries of one meter, in order (the caller runs them in one snapshot, so they agree). */
export function* queryMeters(c: CatalogContext, m: Meter, qs: MeterQuery[]): Steps<MeterRow[][]> {
  const out: MeterRow[][] = [];
  for (const q of qs) out.push(yield* queryMeter(c, m, q));
  return out;
}

/** The meter's aggregate per window, subject and asked group, over [from, to), read from the events. */
function* eventQuery(c: CatalogContext, m: Meter, q: MeterQuery): Steps<MeterRow[]> {
  const size = q.windowSize === null ? null : WINDOWS[q.windowSize];
  const bucket = bucketOf(q.from, size);
  const groups = q.groupBy.map((name, i) => ({
    name,
    alias: `g${i}`,
    expr: c.jsonText('data', path(m.groupBy[name])),
  }));
  const num = m.valueProperty === null ? null : c.jsonNumber('data', path(m.valueProperty));
  const text = m.valueProperty === null ? null : c.jsonText('data', path(m.valueProperty));
  const where = meterConditions(c, m, q);
  const keys = [sql`${bucket} AS w`, sql`subject`, ...groups.map((g) => sql`${g.expr} AS ${sql.ref(g.alias)}`)];
  const groupCols = sql.join([sql`w`, sql`subject`, ...groups.map((g) => sql.ref(g.alias))]);
  let query: RawBuilder<Record<string, unknown>>;
  if (m.aggregation === 'last') {
    // The latest event's value per group (ties broken by source and id, so the answer is stable).
    query = sql`SELECT ${groupCols}, v AS value FROM (
        SELECT ${sql.join(keys)}, ${num} AS v,
          ROW_NUMBER() OVER (PARTITION BY ${sql.join([bucket, sql`subject`, ...groups.map((g) => g.expr)])}
                             ORDER BY time DESC, source DESC, event_id DESC) AS rn
        FROM usage_events WHERE ${where}) ranked
      WHERE rn = 1`;
  } else {
    const agg =
      m.aggregation === 'count'
        ? sql`COUNT(*)`
        : m.aggregation === 'sum'
          ? sql`SUM(${num})`
          : m.aggregation === 'max'
            ? sql`MAX(${num})`
            : sql`COUNT(DISTINCT ${text})`;
    query = sql`SELECT ${sql.join(keys)}, ${agg} AS value FROM usage_events WHERE ${where} GROUP BY ${groupCols}`;
  }
  const ordered = sql<Record<string, unknown>>`${query} ORDER BY ${groupCols}`;
  const rows = yield* all(raw(c.qb, ordered));
  return rows.map((r) => {
    const w = Number(r.w);
    return {
      windowStart: w,
      windowEnd: size === null ? q.to : Math.min(w + size, q.to),
      subject: String(r.subject),
      groupBy: Object.fromEntries(groups.map((g) => [g.name, (r[g.alias] as string | null) ?? null])),
      value: r.value === null || r.value === undefined ? null : Number(r.value),
    };
  });
}
