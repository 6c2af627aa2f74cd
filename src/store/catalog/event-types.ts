import type { Selectable } from 'kysely';
import type { EventType } from '../../domain/model.js';
import type { EventTypeUpdate, NewEventType, Page, PageQuery } from '../store.js';
import { ifSet, type CatalogContext } from './catalog-context.js';
import { paginate } from './paginate.js';
import type { EventTypesTable } from './schema.js';
import { changed, first, type Steps } from './steps.js';

/** The event type catalogue, keyed by name. */

function toEventType(c: CatalogContext, r: Selectable<EventTypesTable>): EventType {
  return {
    name: r.name,
    description: r.description,
    schemas: r.schemas === null ? null : c.values.readJson<Record<string, unknown>>(r.schemas),
    archived: c.values.readBool(r.archived),
    deprecated: c.values.readBool(r.deprecated),
    featureFlag: r.feature_flag,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function* createEventType(c: CatalogContext, e: NewEventType): Steps<EventType> {
  const row = yield* first(
    c.qb
      .insertInto('event_types')
      .values({
        name: e.name,
        description: e.description,
        schemas: e.schemas === null ? null : c.values.json(e.schemas),
        archived: c.values.bool(e.archived),
        deprecated: c.values.bool(e.deprecated),
        feature_flag: e.featureFlag,
        created_at: e.now,
        updated_at: e.now,
      })
      .returningAll(),
  );
  return toEventType(c, row!);
}

export function* getEventType(c: CatalogContext, name: string): Steps<EventType | null> {
  const row = yield* first(c.qb.selectFrom('event_types').selectAll().where('name', '=', name));
  return row ? toEventType(c, row) : null;
}

export function listEventTypes(c: CatalogContext, page: PageQuery, includeArchived: boolean): Steps<Page<EventType>> {
  let q = c.qb.selectFrom('event_types').selectAll();
  if (!includeArchived) q = q.where('archived', '=', c.values.bool(false));
  return paginate(q, page, { key: 'name', keyOf: (r) => r.name, map: (r) => toEventType(c, r) });
}

export function* updateEventType(
  c: CatalogContext,
  name: string,
  update: EventTypeUpdate,
  now: number,
): Steps<EventType | null> {
  const v = c.values;
  const row = yield* first(
    c.qb
      .updateTable('event_types')
      .set({
        description: update.description,
        schemas: ifSet(update.schemas, (s) => (s === null ? null : v.json(s))),
        archived: ifSet(update.archived, v.bool),
        deprecated: ifSet(update.deprecated, v.bool),
        feature_flag: update.featureFlag,
        updated_at: now,
      })
      .where('name', '=', name)
      .returningAll(),
  );
  return row ? toEventType(c, row) : null;
}

export function* deleteEventType(c: CatalogContext, name: string): Steps<boolean> {
  return (yield* changed(c.qb.deleteFrom('event_types').where('name', '=', name))) > 0;
}
