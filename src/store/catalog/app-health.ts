import { sql, type RawBuilder } from 'kysely';
import { DeliveryStatus } from '../../domain/model.js';
import { idRange } from '../id-range.js';
import type { AppHealth, CatalogTotals, TimeRange } from '../store.js';
import type { CatalogContext } from './catalog-context.js';
import { all, first, type Steps } from './steps.js';
import type { AppId } from '../../ids.js';

/** The operator's views across apps: totals, and health per app (failing endpoints: failing-endpoints.ts). */

/** Rows for which `condition` holds: a portable conditional count (0 on no rows). */
const countWhere = (condition: RawBuilder<unknown>) =>
  sql<number>`coalesce(sum(CASE WHEN ${condition} THEN 1 ELSE 0 END), 0)`;

export function* catalogTotals(c: CatalogContext): Steps<CatalogTotals> {
  const disabled = sql`disabled = ${c.values.bool(true)}`;
  const r = yield* first(
    c.qb
      .selectFrom('endpoints')
      .select([
        sql<number>`(SELECT count(*) FROM applications)`.as('apps'),
        sql<number>`count(*)`.as('endpoints'),
        countWhere(disabled).as('disabledEndpoints'),
        countWhere(sql`failing_since IS NOT NULL`).as('failingEndpoints'),
      ]),
  );
  return {
    apps: Number(r!.apps),
    endpoints: Number(r!.endpoints),
    disabledEndpoints: Number(r!.disabledEndpoints),
    failingEndpoints: Number(r!.failingEndpoints),
  };
}

/** Attempts in the range by app (the primary key sought by the range's IDs), and endpoint health by app. */
export function* appHealth(c: CatalogContext, appIds: string[] | null, range: TimeRange): Steps<AppHealth[]> {
  const ids = idRange('attempt', range.since, range.until);
  let attemptsQ = c.qb
    .selectFrom('attempts')
    .select([
      'app_id as appId',
      countWhere(sql`status = ${sql.lit(DeliveryStatus.Success)}`).as('success'),
      countWhere(sql`status = ${sql.lit(DeliveryStatus.Fail)}`).as('failure'),
    ])
    .where('created_at', '>=', range.since)
    .where('created_at', '<', range.until)
    .groupBy('app_id');
  if (ids.from !== null) attemptsQ = attemptsQ.where('id', '>=', ids.from);
  if (ids.below !== null) attemptsQ = attemptsQ.where('id', '<', ids.below);
  const failing = sql`failing_since IS NOT NULL`;
  const disabled = sql`disabled = ${c.values.bool(true)}`;
  let endpointsQ = c.qb
    .selectFrom('endpoints')
    .select(['app_id as appId', countWhere(failing).as('failing'), countWhere(disabled).as('disabled')])
    .groupBy('app_id');
  if (appIds !== null) {
    attemptsQ = attemptsQ.where(c.isIn('app_id', appIds));
    endpointsQ = endpointsQ.where(c.isIn('app_id', appIds));
  } else endpointsQ = endpointsQ.having(sql<boolean>`${countWhere(sql`${failing} OR ${disabled}`)} > 0`);
  const attempts = yield* all(attemptsQ);
  const endpoints = yield* all(endpointsQ);

  // One row per app: the apps asked for, each once, zeros where a read had none; or every app either read returned.
  const byApp = new Map<string, AppHealth>();
  const row = (appId: string): AppHealth => {
    let r = byApp.get(appId);
    if (!r)
      byApp.set(
        appId,
        (r = { appId: appId as AppId, success: 0, failure: 0, failingEndpoints: 0, disabledEndpoints: 0 }),
      );
    return r;
  };
  for (const id of appIds ?? []) row(id);
  for (const a of attempts) Object.assign(row(a.appId), { success: Number(a.success), failure: Number(a.failure) });
  for (const e of endpoints)
    Object.assign(row(e.appId), { failingEndpoints: Number(e.failing), disabledEndpoints: Number(e.disabled) });
  return [...byApp.values()].sort((x, y) => (x.appId < y.appId ? -1 : x.appId > y.appId ? 1 : 0));
}
