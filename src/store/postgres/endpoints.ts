import type { Selectable } from 'kysely';
import type { Endpoint } from '../../domain/model.js';
import { toEndpoint } from '../catalog/endpoints.js';
import type { EndpointsTable } from '../catalog/schema.js';
import type { Db } from './db.js';

/** Endpoints by ID (any app), for joining onto deliveries; each opened once. */
export async function endpointsByIds(db: Db, ids: string[]): Promise<Map<string, Endpoint>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<Selectable<EndpointsTable>>('SELECT * FROM endpoints WHERE id = ANY($1::text[])', [
    [...new Set(ids)],
  ]);
  return new Map(rows.map((r) => [r.id, toEndpoint(db.catalog, r)]));
}
