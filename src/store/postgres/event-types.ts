import type { EventType } from '../../domain/model.js';
import type { EventTypeUpdate, NewEventType, Page, PageQuery } from '../store.js';
import type { Db } from './db.js';
import { paginate } from './pagination.js';
import { toEventType } from './row-mappers.js';
import { buildSet, jsonb, same, type ColumnMap } from './update-builder.js';

const COLUMNS: ColumnMap<EventTypeUpdate> = {
  description: ['description', same],
  schemas: ['schemas', jsonb],
  archived: ['archived', same],
  deprecated: ['deprecated', same],
  featureFlag: ['feature_flag', same],
};

export async function createEventType(db: Db, e: NewEventType): Promise<EventType> {
  const { rows } = await db.query(
    `INSERT INTO event_types (name, description, schemas, archived, deprecated, feature_flag, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING *`,
    [e.name, e.description, jsonb(e.schemas), e.archived, e.deprecated, e.featureFlag, e.now],
  );
  return toEventType(rows[0]);
}

export async function getEventType(db: Db, name: string): Promise<EventType | null> {
  const { rows } = await db.query('SELECT * FROM event_types WHERE name = $1', [name]);
  return rows[0] ? toEventType(rows[0]) : null;
}

export function listEventTypes(db: Db, page: PageQuery, includeArchived: boolean): Promise<Page<EventType>> {
  return paginate(
    db,
    {
      select: '*',
      from: 'event_types',
      where: includeArchived ? [] : ['NOT archived'],
      params: [],
      key: 'name',
      keyOf: (r) => r.name as string,
    },
    page,
    toEventType,
  );
}

export async function updateEventType(
  db: Db,
  name: string,
  update: EventTypeUpdate,
  now: number,
): Promise<EventType | null> {
  const params: unknown[] = [];
  const sets = buildSet(COLUMNS, update, params);
  params.push(now, name);
  const { rows } = await db.query(
    `UPDATE event_types SET ${[...sets, `updated_at = $${params.length - 1}`].join(', ')} WHERE name = $${params.length} RETURNING *`,
    params,
  );
  return rows[0] ? toEventType(rows[0]) : null;
}

export async function deleteEventType(db: Db, name: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM event_types WHERE name = $1', [name]);
  return (rowCount ?? 0) > 0;
}
