import { sql, type Expression, type RawBuilder, type Selectable, type SqlBool } from 'kysely';
import type { ScheduledMeter } from '../../domain/usage-report.js';
import { parsePath, WINDOWS, type Meter, type MeterQuery, type MeterRow, type UsageEvent } from '../../domain/usage.js';
import type { Page, PageQuery } from '../store.js';
import type { CatalogContext } from './catalog-context.js';
import { paginate } from './paginate.js';
import type { MetersTable } from './schema.js';
import { all, changed, first, type Steps } from './steps.js';

/**
 * Usage events and meters. An event is stored once per (source, id): a batch sent again inserts
 * nothing twice, and the caller learns which were new. A meter's query aggregates in SQL over
 * `usage_events_by_subject` (type, subject, time), so its answer is exact at the moment it runs.
 */

/** Rows per INSERT: 7 parameters each, well under SQLite's and PostgreSQL's limits. */
const INSERT_ROWS = 1000;

export const usageKey = (source: string, id: string) => `${source}\u0000${id}`;

/** Store the events not stored yet; the keys (`usageKey`) of those that were new. */
export function* recordUsageEvents(c: CatalogContext, events: UsageEvent[], now: number): Steps<string[]> {
  const fresh: string[] = [];
  for (let i = 0; i < events.length; i += INSERT_ROWS) {
    const rows = yield* all(
      c.qb
        .insertInto('usage_events')
        .values(
          events.slice(i, i + INSERT_ROWS).map((e) => ({
            source: e.source,
            event_id: e.id,
            type: e.type,
            subject: e.subject,
            time: e.time,
            data: e.data === undefined ? null : c.values.json(e.data),
            received_at: now,
          })),
        )
        .onConflict((oc) => oc.columns(['source', 'event_id']).doNothing())
        .returning(['source', 'event_id']),
    );
    for (const r of rows) fresh.push(usageKey(r.source, r.event_id));
  }
  return fresh;
}

function toMeter(c: CatalogContext, r: Selectable<MetersTable>): Meter {
  return {
    key: r.key,
    name: r.name,
    eventType: r.event_type,
    aggregation: r.aggregation as Meter['aggregation'],
    valueProperty: r.value_property,
    groupBy: c.values.readJson(r.group_by),
    filter: c.values.readJson(r.filter),
    report: r.report === null ? null : c.values.readJson(r.report),
    thresholds: c.values.readJson(r.thresholds),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Null when a meter with this key exists already. */
export function* createMeter(c: CatalogContext, m: Meter): Steps<Meter | null> {
  const row = yield* first(
    c.qb
      .insertInto('meters')
      .values({
        key: m.key,
        name: m.name,
        event_type: m.eventType,
        aggregation: m.aggregation,
        value_property: m.valueProperty,
        group_by: c.values.json(m.groupBy),
        filter: c.values.json(m.filter),
        report: m.report === null ? null : c.values.json(m.report),
        thresholds: c.values.json(m.thresholds),
        created_at: m.createdAt,
        updated_at: m.updatedAt,
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .returningAll(),
  );
  return row ? toMeter(c, row) : null;
}

export function* getMeter(c: CatalogContext, key: string): Steps<Meter | null> {
  const row = yield* first(c.qb.selectFrom('meters').selectAll().where('key', '=', key));
  return row ? toMeter(c, row) : null;
}

export function listMeters(c: CatalogContext, page: PageQuery): Steps<Page<Meter>> {
  return paginate(c.qb.selectFrom('meters').selectAll(), page, {
    key: 'key',
    keyOf: (r) => r.key,
    map: (r) => toMeter(c, r),
  });
}

/**
 * A meter's name, groups, filter, report and thresholds may change; what it counts (type,
 * aggregation, value) may not. A new report schedule starts over at its `startAt` (periods
 * reported already are not written twice: their rows are unique).
 */
export function* updateMeter(
  c: CatalogContext,
  key: string,
  patch: Partial<Pick<Meter, 'name' | 'groupBy' | 'filter' | 'report' | 'thresholds'>>,
  now: number,
): Steps<Meter | null> {
  const row = yield* first(
    c.qb
      .updateTable('meters')
      .set({
        updated_at: now,
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.groupBy !== undefined ? { group_by: c.values.json(patch.groupBy) } : {}),
        ...(patch.filter !== undefined ? { filter: c.values.json(patch.filter) } : {}),
        ...(patch.report !== undefined
          ? { report: patch.report === null ? null : c.values.json(patch.report), reported_through: null }
          : {}),
        ...(patch.thresholds !== undefined ? { thresholds: c.values.json(patch.thresholds) } : {}),
      })
      .where('key', '=', key)
      .returningAll(),
  );
  return row ? toMeter(c, row) : null;
}

/** The meters that report or have thresholds. */
export function* scheduledMeters(c: CatalogContext): Steps<ScheduledMeter[]> {
  const rows = yield* all(c.qb.selectFrom('meters').selectAll().orderBy('key'));
  return rows
    .map((r) => ({
      ...toMeter(c, r),
      reportedThrough: r.reported_through === null ? null : Number(r.reported_through),
      lateCheckedAt: Number(r.late_checked_at),
      thresholdsCheckedAt: Number(r.thresholds_checked_at),
    }))
    .filter((m) => m.report !== null || m.thresholds.length > 0);
}

export function* deleteMeter(c: CatalogContext, key: string): Steps<boolean> {
  return (yield* changed(c.qb.deleteFrom('meters').where('key', '=', key))) > 0;
}

const path = (p: string): string[] => {
  const segments = parsePath(p);
  if (!segments) throw new Error(`meter path ${p} was stored unchecked`);
  return segments;
};

/** The meter's aggregate per window, subject and asked group, over [from, to). */
export function* queryMeter(c: CatalogContext, m: Meter, q: MeterQuery): Steps<MeterRow[]> {
  const size = q.windowSize === null ? null : WINDOWS[q.windowSize];
  const start = sql<number>`CAST(${q.from} AS bigint)`;
  // Integer division on both dialects: every operand a bigint (PostgreSQL would infer numeric for a bare parameter).
  const width = sql<number>`CAST(${size} AS bigint)`;
  const bucket = size === null ? start : sql<number>`${start} + ((time - ${start}) / ${width}) * ${width}`;
  const groups = q.groupBy.map((name, i) => ({
    name,
    alias: `g${i}`,
    expr: c.jsonText('data', path(m.groupBy[name])),
  }));
  const num = m.valueProperty === null ? null : c.jsonNumber('data', path(m.valueProperty));
  const text = m.valueProperty === null ? null : c.jsonText('data', path(m.valueProperty));
  const conditions: Array<RawBuilder<unknown> | Expression<SqlBool>> = [
    sql`type = ${m.eventType}`,
    sql`time >= ${q.from}`,
    sql`time < ${q.to}`,
    ...(q.subject === null ? [] : [sql`subject = ${q.subject}`]),
    ...(q.subjects ? [c.isIn('subject', q.subjects)] : []),
    ...Object.entries(m.filter).map(([p, v]) => sql`${c.jsonText('data', path(p))} = ${String(v)}`),
  ];
  const where = sql.join(conditions, sql` AND `);
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
  const rows = yield* all({ compile: () => ordered.compile(c.qb) });
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
