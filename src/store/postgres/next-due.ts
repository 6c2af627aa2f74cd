import { DeliveryStatus } from '../../domain/model.js';
import type { Db, NamedStatement } from './db.js';
import { headDueAt, PENDING_ENDPOINTS } from './pending-heads.js';

/** Whether endpoint `id` is enabled: one seek per row it is asked for (a scalar subquery is never made a join). */
const enabled = (id: string) => `(SELECT NOT e.disabled FROM endpoints e WHERE e.id = ${id})`;

/**
 * Pending: each endpoint's oldest row (a loose index scan); leased: an index-ordered scan that
 * stops at the first row of an enabled endpoint (min() over a join would read every row).
 */
const NEXT_DUE: NamedStatement = {
  name: 'hookrelay_next_due',
  text: `WITH RECURSIVE ${PENDING_ENDPOINTS}
     SELECT LEAST(
       (SELECT min(${headDueAt('9223372036854775807')}) FROM eps WHERE ${enabled('eps.ep')}),
       (SELECT d.lease_expires_at FROM deliveries d
         WHERE d.status = ${DeliveryStatus.Sending} AND ${enabled('d.endpoint_id')} ORDER BY d.lease_expires_at LIMIT 1)
     ) AS t`,
};

/**
 * Earliest due time among rows of enabled endpoints: pending by next_attempt_at, sending by lease
 * expiry. Runs on an outcome session, which plans it once and keeps that plan, so the statement
 * reaches every table by index whatever its size.
 */
export async function nextDueAt(db: Db): Promise<number | null> {
  const { rows } = await db.query<{ t: number | null }>(NEXT_DUE, [], { outcome: true });
  return rows[0].t;
}
