import { DeliveryStatus } from '../../domain/model.js';
import type { FailingEndpoint, Page, PageQuery } from '../store.js';
import { toApplication } from './applications.js';
import { toAttempt } from './attempts.js';
import type { CatalogContext } from './catalog-context.js';
import { toEndpoint } from './endpoints.js';
import { paginate } from './paginate.js';
import { all, first, type Steps } from './steps.js';
import type { AppId } from '../../ids.js';

/** The operator's list of failing endpoints across apps (or of one app), each with its app and latest attempt. */
export function* listFailingEndpoints(
  c: CatalogContext,
  page: PageQuery,
  appId: AppId | null,
): Steps<Page<FailingEndpoint>> {
  let q = c.qb.selectFrom('endpoints as e').selectAll('e').where('e.failing_since', 'is not', null);
  if (appId !== null) q = q.where('e.app_id', '=', appId);
  const rows = yield* paginate(q, page, { key: 'e.id', keyOf: (r) => r.id, map: (r) => r });
  if (rows.data.length === 0) return { ...rows, data: [] };
  const apps = yield* all(
    c.qb
      .selectFrom('applications')
      .selectAll()
      .where(c.isIn('id', [...new Set(rows.data.map((r) => r.app_id))])),
  );
  const appById = new Map(apps.map((r) => [r.id, toApplication(c, r)]));
  const data: FailingEndpoint[] = [];
  for (const r of rows.data) {
    const app = appById.get(r.app_id);
    if (!app) continue; // its app was deleted between the reads
    const last = yield* first(
      c.qb
        .selectFrom('attempts as a')
        .leftJoin('deliveries as d', 'd.id', 'a.delivery_id')
        .selectAll('a')
        .select('d.status as delivery_status')
        .where('a.endpoint_id', '=', r.id)
        .orderBy('a.id', 'desc')
        .limit(1),
    );
    data.push({
      app,
      endpoint: toEndpoint(c, r),
      lastAttempt: last ? toAttempt(last) : null,
      exhausted: last?.delivery_status === DeliveryStatus.Fail,
    });
  }
  return { ...rows, data };
}
