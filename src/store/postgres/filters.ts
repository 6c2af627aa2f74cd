import type { MessageFilter } from '../store.js';

/**
 * WHERE clauses shared by the list queries. `params` is the query's parameter list so far;
 * each helper appends its values and numbers its placeholders after them.
 */

/**
 * A MessageFilter over the messages alias `m`; `before`/`after` compare `createdAtColumn`
 * (the message's, or the attempt's for attempt lists), strictly.
 */
export function messageFilterSql(m: string, filter: MessageFilter, params: unknown[], createdAtColumn = `${m}.created_at`): string[] {
  const where: string[] = [];
  if (filter.eventTypes && filter.eventTypes.length > 0) {
    params.push(filter.eventTypes);
    where.push(`${m}.event_type = ANY($${params.length}::text[])`);
  }
  if (filter.channel !== undefined) {
    params.push(filter.channel);
    where.push(`$${params.length}::text = ANY(${m}.channels)`);
  }
  if (filter.before !== undefined) {
    params.push(filter.before);
    where.push(`${createdAtColumn} < $${params.length}`);
  }
  if (filter.after !== undefined) {
    params.push(filter.after);
    where.push(`${createdAtColumn} > $${params.length}`);
  }
  return where;
}

/** endpointWantsMessage (domain/endpoint-filter.ts) in SQL over messages alias `m`; empty lists mean "no filter". */
export function endpointFilterSql(m: string, f: { filterTypes: string[] | null; channels: string[] | null }, params: unknown[]): string[] {
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
