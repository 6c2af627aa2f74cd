import { sql, type Expression, type SqlBool } from 'kysely';
import type { IdKind } from '../../ids.js';
import { idRange } from '../id-range.js';
import type { MessageFilter } from '../store.js';
import type { CatalogContext } from './catalog-context.js';

/** Which columns a MessageFilter's times compare, when they are not the messages alias's own. */
export interface FilterColumns {
  /** The time `before`/`after` compare (Default: `<m>.created_at`; the attempt's for attempt lists). */
  createdAt?: string;
  /**
   * The ID made with that same time (src/store/id-range.ts), and any column a join makes equal
   * to it: the times also bound them, so the list seeks their indexes.
   */
  id?: { columns: string[]; kind: IdKind };
}

/** A MessageFilter over the messages alias `m`, as conditions to AND; `before`/`after` are strict. */
export function messageFilterWhere(
  c: CatalogContext,
  m: string,
  filter: MessageFilter,
  columns: FilterColumns = {},
): Array<Expression<SqlBool>> {
  const createdAt = sql.ref(columns.createdAt ?? `${m}.created_at`);
  const where: Array<Expression<SqlBool>> = [];
  if (filter.eventTypes && filter.eventTypes.length > 0) where.push(c.isIn(`${m}.event_type`, filter.eventTypes));
  if (filter.channel !== undefined) where.push(c.listHas(`${m}.channels`, filter.channel));
  if (filter.tag !== undefined) where.push(c.listHas(`${m}.tags`, filter.tag));
  if (filter.before !== undefined) where.push(sql<SqlBool>`${createdAt} < ${filter.before}`);
  if (filter.after !== undefined) where.push(sql<SqlBool>`${createdAt} > ${filter.after}`);
  if (columns.id) {
    const ids = idRange(columns.id.kind, filter.after === undefined ? undefined : filter.after + 1, filter.before);
    for (const column of columns.id.columns) {
      if (ids.from !== null) where.push(sql<SqlBool>`${sql.ref(column)} >= ${ids.from}`);
      if (ids.below !== null) where.push(sql<SqlBool>`${sql.ref(column)} < ${ids.below}`);
    }
  }
  return where;
}

/** endpointWantsMessage (domain/endpoint-filter.ts) over the messages alias `m`; empty lists mean "no filter". */
export function endpointFilterWhere(
  c: CatalogContext,
  m: string,
  f: { filterTypes: string[] | null; channels: string[] | null },
): Array<Expression<SqlBool>> {
  const where: Array<Expression<SqlBool>> = [];
  if (f.filterTypes && f.filterTypes.length > 0) where.push(c.isIn(`${m}.event_type`, f.filterTypes));
  if (f.channels && f.channels.length > 0) where.push(c.listHasAny(`${m}.channels`, f.channels));
  return where;
}
