import { appHealthRows } from '../app-health-rows.js';
import { idRange } from '../id-range.js';
import type { AppHealth, CatalogTotals, FailingEndpoint, Page, PageQuery, TimeRange } from '../store.js';
import type { Db } from './db.js';
import { paginate } from './pagination.js';
import { toApplication } from '../catalog/applications.js';
import { toEndpoint } from '../catalog/endpoints.js';
import { toAttempt, type Row } from './row-mappers.js';

/** The operator's views across apps: totals, health per app, failing endpoints. */

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
      `SELECT app_id AS "appId", count(*) FILTER (WHERE status = 0) AS success, count(*) FILTER (WHERE status = 2) AS failure
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

/** The page of endpoints, then each one's latest attempt (one seek of attempts_endpoint_id) and that attempt's delivery. */
export async function listFailingEndpoints(
  db: Db,
  page: PageQuery,
  appId: string | null,
): Promise<Page<FailingEndpoint>> {
  const where = ['e.failing_since IS NOT NULL'];
  const params: unknown[] = [];
  if (appId !== null) {
    params.push(appId);
    where.push('e.app_id = $1');
  }
  const rows = await paginate(
    db,
    { select: 'e.*', from: 'endpoints e', where, params, key: 'e.id', keyOf: (r) => r.id as string },
    page,
    (r) => r,
  );
  if (rows.data.length === 0) return { ...rows, data: [] };
  const endpointIds = rows.data.map((r) => r.id as string);
  const [apps, last] = await Promise.all([
    db.query('SELECT * FROM applications WHERE id = ANY($1::text[])', [
      [...new Set(rows.data.map((r) => r.app_id as string))],
    ]),
    db.query<Row & { delivery_status: number | null }>(
      `SELECT a.*, d.status AS delivery_status
       FROM unnest($1::text[]) AS e(id)
       CROSS JOIN LATERAL (SELECT * FROM attempts WHERE endpoint_id = e.id ORDER BY id DESC LIMIT 1) a
       LEFT JOIN deliveries d ON d.id = a.delivery_id`,
      [endpointIds],
    ),
  ]);
  const appById = new Map(apps.rows.map((r) => [r.id as string, toApplication(db.catalog, r as never)]));
  const lastByEndpoint = new Map(last.rows.map((r) => [r.endpoint_id as string, r]));
  // An endpoint whose app was deleted between the reads is dropped.
  const data = rows.data
    .filter((r) => appById.has(r.app_id as string))
    .map((r) => {
      const attempt = lastByEndpoint.get(r.id as string);
      return {
        app: appById.get(r.app_id as string)!,
        endpoint: toEndpoint(db.catalog, r as never),
        lastAttempt: attempt ? toAttempt(attempt) : null,
        exhausted: attempt?.delivery_status === 2,
      };
    });
  return { ...rows, data };
}
