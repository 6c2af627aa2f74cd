import type { IdKind } from '../../ids.js';
import { idRange } from '../id-range.js';
import type { MessageFilter } from '../store.js';

/**
 * WHERE clauses shared by the list queries. `params` is the query's parameter list so far;
 * each helper appends its values and numbers its placeholders after them.
 */

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

/** A MessageFilter over the messages alias `m`; `before`/`after` are strict. */
export function messageFilterSql(
  m: string,
  filter: MessageFilter,
  params: unknown[],
  columns: FilterColumns = {},
): string[] {
  const createdAt = columns.createdAt ?? `${m}.created_at`;
  const where: string[] = [];
  if (filter.eventTypes && filter.eventTypes.length > 0) {
    params.push(filter.eventTypes);
    where.push(`${m}.event_type = ANY($${params.length}::text[])`);
  }
  if (filter.channel !== undefined) {
    params.push(filter.channel);
    where.push(`$${params.length}::text = ANY(${m}.channels)`);
  }
  if (filter.tag !== undefined) {
    params.push(filter.tag);
    where.push(`$${params.length}::text = ANY(${m}.tags)`);
  }
  if (filter.before !== undefined) {
    params.push(filter.before);
    where.push(`${createdAt} < $${params.length}`);
  }
  if (filter.after !== undefined) {
    params.push(filter.after);
    where.push(`${createdAt} > $${params.length}`);
  }
  if (columns.id) {
    const ids = idRange(columns.id.kind, filter.after === undefined ? undefined : filter.after + 1, filter.before);
    if (ids.from !== null) {
      params.push(ids.from);
      for (const column of columns.id.columns) where.push(`${column} >= $${params.length}`);
    }
    if (ids.below !== null) {
      params.push(ids.below);
      for (const column of columns.id.columns) where.push(`${column} < $${params.length}`);
    }
  }
  return where;
}

/** endpointWantsMessage (domain/endpoint-filter.ts) in SQL over messages alias `m`; empty lists mean "no filter". */
export function endpointFilterSql(
  m: string,
  f: { filterTypes: string[] | null; channels: string[] | null },
  params: unknown[],
): string[] {
  const where: string[] = [];
  if (f.filterTypes && f.filterTypes.length > 0) {
    params.push(f.filterTypes);
    where.push(`${m}.event_type = ANY($${params.length}::text[])`);
  }
  if (f.channels && f.channels.length > 0) {
    params.push(f.channels);
    where.push(`${m}.channels && $${params.length}::text[]`);
  }
  return where;
}
