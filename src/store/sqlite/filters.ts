import type { IdKind } from '../../ids.js';
import { idRange } from '../id-range.js';
import type { MessageFilter } from '../store.js';
import { json } from './sqlite-context.js';

export interface SqlFilter {
  where: string[];
  params: unknown[];
}

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

/** WHERE clauses for a MessageFilter over the messages alias `m`. */
export function messageFilterSql(m: string, filter: MessageFilter, columns: FilterColumns = {}): SqlFilter {
  const createdAt = columns.createdAt ?? `${m}.created_at`;
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.eventTypes && filter.eventTypes.length > 0) {
    where.push(`${m}.event_type IN (SELECT value FROM json_each(?))`);
    params.push(json(filter.eventTypes));
  }
  if (filter.channel !== undefined) {
    where.push(`EXISTS (SELECT 1 FROM json_each(${m}.channels) WHERE value = ?)`);
    params.push(filter.channel);
  }
  if (filter.tag !== undefined) {
    where.push(`EXISTS (SELECT 1 FROM json_each(${m}.tags) WHERE value = ?)`);
    params.push(filter.tag);
  }
  if (filter.before !== undefined) {
    where.push(`${createdAt} < ?`);
    params.push(filter.before);
  }
  if (filter.after !== undefined) {
    where.push(`${createdAt} > ?`);
    params.push(filter.after);
  }
  if (columns.id) {
    const ids = idRange(columns.id.kind, filter.after === undefined ? undefined : filter.after + 1, filter.before);
    for (const column of columns.id.columns) {
      if (ids.from !== null) {
        where.push(`${column} >= ?`);
        params.push(ids.from);
      }
      if (ids.below !== null) {
        where.push(`${column} < ?`);
        params.push(ids.below);
      }
    }
  }
  return { where, params };
}

/** endpointWantsMessage (domain/endpoint-filter.ts) in SQL over messages alias `m`; empty lists mean "no filter". */
export function endpointFilterSql(
  m: string,
  f: { filterTypes: string[] | null; channels: string[] | null },
): SqlFilter {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.filterTypes && f.filterTypes.length > 0) {
    where.push(`${m}.event_type IN (SELECT value FROM json_each(?))`);
    params.push(json(f.filterTypes));
  }
  if (f.channels && f.channels.length > 0) {
    where.push(`EXISTS (SELECT 1 FROM json_each(${m}.channels) c WHERE c.value IN (SELECT value FROM json_each(?)))`);
    params.push(json(f.channels));
  }
  return { where, params };
}
