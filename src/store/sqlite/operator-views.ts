import { DeliveryStatus } from '../../domain/model.js';
import { appHealthRows } from '../app-health-rows.js';
import { idRange } from '../id-range.js';
import type { AppHealth, CatalogTotals, TimeRange } from '../store.js';
import { json, type SqliteContext } from './sqlite-context.js';

/** The operator's views across apps: totals and health per app (failing endpoints: catalog/failing-endpoints.ts). */

export function catalogTotals(ctx: SqliteContext): CatalogTotals {
  return ctx
    .stmt(
      `SELECT (SELECT COUNT(*) FROM applications) AS apps, COUNT(*) AS endpoints,
       COALESCE(SUM(disabled), 0) AS disabledEndpoints, COALESCE(SUM(failing_since IS NOT NULL), 0) AS failingEndpoints
     FROM endpoints`,
    )
    .get() as CatalogTotals;
}

/** Attempts in the range by app (the primary key sought by the range's IDs), and endpoint health by app. */
export function appHealth(ctx: SqliteContext, appIds: string[] | null, range: TimeRange): AppHealth[] {
  const ids = idRange('attempt', range.since, range.until);
  const only = appIds === null ? '' : 'AND app_id IN (SELECT value FROM json_each(@apps))';
  const params = { from: ids.from, below: ids.below, since: range.since, until: range.until, apps: json(appIds ?? []) };
  const attempts = ctx
    .stmt(
      `SELECT app_id AS appId, SUM(status = ${DeliveryStatus.Success}) AS success, SUM(status = ${DeliveryStatus.Fail}) AS failure FROM attempts
     WHERE id >= @from AND id < @below AND created_at >= @since AND created_at < @until ${only} GROUP BY app_id`,
    )
    .all(params) as Array<{ appId: string; success: number; failure: number }>;
  const endpoints = ctx
    .stmt(
      `SELECT app_id AS appId, SUM(failing_since IS NOT NULL) AS failing, SUM(disabled) AS disabled FROM endpoints
     WHERE 1 = 1 ${only} GROUP BY app_id ${appIds === null ? 'HAVING failing > 0 OR disabled > 0' : ''}`,
    )
    .all({ apps: params.apps }) as Array<{ appId: string; failing: number; disabled: number }>;
  return appHealthRows(appIds, attempts, endpoints);
}
