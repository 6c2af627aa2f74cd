import type { EventType } from '../../domain/model.js';
import type { EventTypeUpdate, NewEventType, Page, PageQuery } from '../store.js';
import { paginate } from './pagination.js';
import { toEventType } from './row-mappers.js';
import { bit, jsonOrNull, type Row, type SqliteContext } from './sqlite-context.js';
import { buildSet, same, type ColumnMap } from './update-builder.js';

const COLUMNS: ColumnMap<EventTypeUpdate> = {
  description: ['description', same],
  schemas: ['schemas', jsonOrNull],
  archived: ['archived', (v) => bit(v === true)],
  deprecated: ['deprecated', (v) => bit(v === true)],
  featureFlag: ['feature_flag', same],
};

export function createEventType(ctx: SqliteContext, e: NewEventType): EventType {
  const row = ctx
    .stmt(
      `INSERT INTO event_types (name, description, schemas, archived, deprecated, feature_flag, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    )
    .get(
      e.name,
      e.description,
      jsonOrNull(e.schemas),
      bit(e.archived),
      bit(e.deprecated),
      e.featureFlag,
      e.now,
      e.now,
    ) as Row;
  return toEventType(row);
}

export function getEventType(ctx: SqliteContext, name: string): EventType | null {
  const row = ctx.stmt('SELECT * FROM event_types WHERE name = ?').get(name) as Row | undefined;
  return row ? toEventType(row) : null;
}

export function listEventTypes(ctx: SqliteContext, page: PageQuery, includeArchived: boolean): Page<EventType> {
  return paginate(
    ctx,
    {
      select: '*',
      from: 'event_types',
      where: includeArchived ? [] : ['archived = 0'],
      params: [],
      key: 'name',
      keyOf: (r) => r.name as string,
    },
    page,
    toEventType,
  );
}

export function updateEventType(
  ctx: SqliteContext,
  name: string,
  update: EventTypeUpdate,
  now: number,
): EventType | null {
  const { sets, params } = buildSet(COLUMNS, update);
  const row = ctx
    .stmt(`UPDATE event_types SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE name = ? RETURNING *`)
    .get(...params, now, name) as Row | undefined;
  return row ? toEventType(row) : null;
}

export function deleteEventType(ctx: SqliteContext, name: string): boolean {
  return ctx.stmt('DELETE FROM event_types WHERE name = ?').run(name).changes > 0;
}
