import { DeliveryStatus } from '../../domain/model.js';
import { appHealthRows } from '../app-health-rows.js';
import { idRange } from '../id-range.js';
import type { AppHealth, CatalogTotals, TimeRange } from '../store.js';
import type { Db } from './db.js';

/** The operator's views across apps: totals and health per app (failing endpoints: catalog/failing-endpoints.ts). */

export async function catalogTotals(db: Db): Promise<CatalogTotals> {
  const { rows } = await db.query<CatalogTotals>(
    `SELECT (SELECT count(*) FROM applications) AS apps, count(*) AS endpoints,
       count(*) FILTER (WHERE disabled) AS "disabledEndpoints", count(*) FILTER (WHERE failing_since IS NOT NULL) AS "failingEndpoints"
     FROM endpoints`,
  );
  return rows[0];
}

/** Attempts in the range by app (the primary key sought by the range's IDs), and endpoint health by app. */
export async function appHealth(db: Db, appIds: string[] | null, range: TimeRange): Promise<AppHealth[]> {
  const ids = idRange('attempt', range.since, range.until);
  const [attempts, endpoints] = await Promise.all([
    db.query<{ appId: string; success: number; failure: number }>(
      `SELECT app_id AS "appId", count(*) FILTER (WHERE status = ${DeliveryStatus.Success}) AS success, count(*) FILTER (WHERE status = ${DeliveryStatus.Fail}) AS failure
       FROM attempts WHERE id >= $1 AND id < $2 AND created_at >= $3 AND created_at < $4 AND ($5::text[] IS NULL OR app_id = ANY($5))
       GROUP BY app_id`,
      [ids.from, ids.below, range.since, range.until, appIds],
    ),
    db.query<{ appId: string; failing: number; disabled: number }>(
      `SELECT app_id AS "appId", count(*) FILTER (WHERE failing_since IS NOT NULL) AS failing, count(*) FILTER (WHERE disabled) AS disabled
       FROM endpoints WHERE $1::text[] IS NULL OR app_id = ANY($1)
       GROUP BY app_id HAVING $1::text[] IS NOT NULL OR count(*) FILTER (WHERE failing_since IS NOT NULL OR disabled) > 0`,
      [appIds],
    ),
  ]);
  return appHealthRows(appIds, attempts.rows, endpoints.rows);
}
