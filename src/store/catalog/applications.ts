import { sql, type Selectable } from 'kysely';
import type { Application, Metadata } from '../../domain/model.js';
import type { ApplicationFilter, ApplicationUpdate, NewApplication, Page, PageQuery } from '../store.js';
import { ifSet, type CatalogContext } from './catalog-context.js';
import { paginate } from './paginate.js';
import type { ApplicationsTable } from './schema.js';
import { all, changed, first, type Steps } from './steps.js';
import { deleteDeliveriesOf } from './endpoints.js';
import type { AppId } from '../../ids.js';

/** Applications: one per customer of the SaaS. */

export function toApplication(c: CatalogContext, r: Selectable<ApplicationsTable>): Application {
  return {
    id: r.id as AppId,
    uid: r.uid,
    name: r.name,
    rateLimit: r.rate_limit,
    metadata: c.values.readJson<Metadata>(r.metadata),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function* createApplication(c: CatalogContext, a: NewApplication): Steps<Application> {
  const row = yield* first(
    c.qb
      .insertInto('applications')
      .values({
        id: a.id,
        uid: a.uid,
        name: a.name,
        rate_limit: a.rateLimit,
        metadata: c.values.json(a.metadata),
        created_at: a.now,
        updated_at: a.now,
      })
      .returningAll(),
  );
  return toApplication(c, row!);
}

/** By ID first, then by uid. */
export function* getApplication(c: CatalogContext, idOrUid: string): Steps<Application | null> {
  const row = yield* first(
    c.qb
      .selectFrom('applications')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', idOrUid), eb('uid', '=', idOrUid)]))
      .orderBy(sql`id = ${idOrUid}`, 'desc')
      .limit(1),
  );
  return row ? toApplication(c, row) : null;
}

/** `search`: the ID exactly, or a case-insensitive substring of the uid or name (`%` and `_` are plain characters). */
export function listApplications(
  c: CatalogContext,
  page: PageQuery,
  filter: ApplicationFilter = {},
): Steps<Page<Application>> {
  const search = filter.search;
  let q = c.qb.selectFrom('applications').selectAll();
  if (search !== undefined)
    q = q.where((eb) => eb.or([eb('id', '=', search), c.contains('uid', search), c.contains('name', search)]));
  return paginate(q, page, { key: 'id', keyOf: (r) => r.id, map: (r) => toApplication(c, r) });
}

export function* updateApplication(
  c: CatalogContext,
  id: string,
  update: ApplicationUpdate,
  now: number,
): Steps<Application | null> {
  const row = yield* first(
    c.qb
      .updateTable('applications')
      .set({
        uid: update.uid,
        name: update.name,
        rate_limit: update.rateLimit,
        metadata: ifSet(update.metadata, c.values.json),
        updated_at: now,
      })
      .where('id', '=', id)
      .returningAll(),
  );
  return row ? toApplication(c, row) : null;
}

/**
 * Deletes the app with everything under it. Deliveries and attempts carry no foreign key on
 * PostgreSQL (see its migrations), so they go first, by endpoint (every delivery of an app belongs
 * to one of its endpoints), once the app and its endpoints are locked FOR UPDATE — in ID order, the
 * order ingest takes its KEY SHARE locks in. Foreign keys cascade to the rest. Run in one transaction.
 */
export function* deleteApplication(c: CatalogContext, id: string): Steps<boolean> {
  const app = c.qb.selectFrom('applications').select('id').where('id', '=', id);
  if (!(yield* first(app.$if(c.rowLocks, (q) => q.forUpdate())))) return false;
  const endpoints = yield* all(
    c.qb
      .selectFrom('endpoints')
      .select('id')
      .where('app_id', '=', id)
      .orderBy('id')
      .$if(c.rowLocks, (q) => q.forUpdate()),
  );
  yield* deleteDeliveriesOf(
    c,
    endpoints.map((e) => e.id),
  );
  yield* changed(c.qb.deleteFrom('applications').where('id', '=', id));
  return true;
}
