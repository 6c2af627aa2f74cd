import type { Db } from './db.js';
import type { AppId } from '../../ids.js';

/**
 * Deleting an app or an endpoint: deliveries carry no foreign key on PostgreSQL (see the
 * migration), so these delete them under row locks that ingest and resends respect.
 */

/**
 * Deletes the app with everything under it. Foreign keys cascade to endpoints, messages,
 * tokens and offsets; deliveries have none (see the migration), so they go first, by endpoint
 * (every delivery of an app belongs to one of its endpoints), after the app and its endpoints
 * are locked FOR UPDATE — in ID order, the order ingest takes its KEY SHARE locks in.
 */
export function deleteApplication(db: Db, id: string): Promise<boolean> {
  return db.tx(async (client) => {
    const { rows } = await client.query('SELECT id FROM applications WHERE id = $1 FOR UPDATE', [id]);
    if (!rows[0]) return false;
    const eps = await client.query<{ id: string }>(
      'SELECT id FROM endpoints WHERE app_id = $1 ORDER BY id FOR UPDATE',
      [id],
    );
    await client.query('DELETE FROM deliveries WHERE endpoint_id = ANY($1::text[])', [eps.rows.map((r) => r.id)]);
    await client.query('DELETE FROM applications WHERE id = $1', [id]);
    return true;
  });
}

/**
 * Deletes the endpoint, its deliveries (their attempts cascade) and its consumer offsets.
 * Deliveries carry no foreign key (see the migration), so they are deleted here, after the
 * endpoint row is locked FOR UPDATE: an ingest or resend holding it FOR KEY SHARE finishes
 * first, and any that starts later no longer finds the endpoint.
 */
export function deleteEndpoint(db: Db, appId: AppId, id: string): Promise<boolean> {
  return db.tx(async (client) => {
    const { rows } = await client.query('SELECT id FROM endpoints WHERE app_id = $1 AND id = $2 FOR UPDATE', [
      appId,
      id,
    ]);
    if (!rows[0]) return false;
    await client.query('DELETE FROM deliveries WHERE endpoint_id = $1', [id]);
    await client.query('DELETE FROM endpoints WHERE id = $1', [id]);
    return true;
  });
}
