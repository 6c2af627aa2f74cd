import type { Selectable } from 'kysely';
import type { Endpoint } from '../../domain/model.js';
import { toEndpoint } from '../catalog/endpoints.js';
import type { EndpointsTable } from '../catalog/schema.js';
import { json, type SqliteContext } from './sqlite-context.js';

/** Endpoints by ID (any app), for joining onto deliveries: one statement whatever the count. */
export function endpointsByIds(ctx: SqliteContext, ids: string[]): Map<string, Endpoint> {
  const rows = ctx
    .stmt('SELECT * FROM endpoints WHERE id IN (SELECT value FROM json_each(?))')
    .all(json([...new Set(ids)])) as Array<Selectable<EndpointsTable>>;
  return new Map(rows.map((r) => [r.id, toEndpoint(ctx.catalog, r)]));
}
