import type { MessageFilter } from '../store.js';
import { json } from './sqlite-context.js';

export interface SqlFilter {
  where: string[];
  params: unknown[];
}

/**
 * WHERE clauses for a MessageFilter over the messages alias `m`; `before`/`after` compare
 * `createdAtColumn` (the message's, or the attempt's for attempt lists).
 */
export function messageFilterSql(m: string, filter: MessageFilter, createdAtColumn = `${m}.created_at`): SqlFilter {
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
  if (filter.before !== undefined) {
    where.push(`${createdAtColumn} < ?`);
    params.push(filter.before);
  }
  if (filter.after !== undefined) {
    where.push(`${createdAtColumn} > ?`);
    params.push(filter.after);
  }
  return { where, params };
}

/** endpointWantsMessage (domain/endpoint-filter.ts) in SQL over messages alias `m`; empty lists mean "no filter". */
export function endpointFilterSql(m: string, f: { filterTypes: string[] | null; channels: string[] | null }): SqlFilter {
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
