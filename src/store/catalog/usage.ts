import { type Selectable } from 'kysely';
import type { ScheduledMeter } from '../../domain/usage-report.js';
import { type Meter, type UsageEvent } from '../../domain/usage.js';
import type { Page, PageQuery } from '../store.js';
import type { CatalogContext } from './catalog-context.js';
import { paginate } from './paginate.js';
import { resetRollups } from './usage-rollups.js';
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
  if (row && (patch.groupBy !== undefined || patch.filter !== undefined)) yield* resetRollups(c, key);
  return row ? toMeter(c, row) : null;
}

/** Every meter with its progress (reports, thresholds, rollups), for the report job. */
export function* meterStates(c: CatalogContext): Steps<ScheduledMeter[]> {
  const rows = yield* all(c.qb.selectFrom('meters').selectAll().orderBy('key'));
  return rows.map((r) => ({
    ...toMeter(c, r),
    reportedThrough: r.reported_through === null ? null : Number(r.reported_through),
    lateCheckedAt: Number(r.late_checked_at),
    thresholdsCheckedAt: Number(r.thresholds_checked_at),
    rolledFrom: r.rolled_from === null ? null : Number(r.rolled_from),
    rolledThrough: r.rolled_through === null ? null : Number(r.rolled_through),
  }));
}

export function* deleteMeter(c: CatalogContext, key: string): Steps<boolean> {
  yield* changed(c.qb.deleteFrom('usage_rollups').where('meter_key', '=', key));
  return (yield* changed(c.qb.deleteFrom('meters').where('key', '=', key))) > 0;
}
