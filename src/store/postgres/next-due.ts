import { DeliveryStatus } from '../../domain/model.js';
import type { Db } from './db.js';
import { headDueAt, PENDING_ENDPOINTS } from './pending-heads.js';

/** Earliest due time among rows of enabled endpoints: pending by next_attempt_at, sending by lease expiry. */
export async function nextDueAt(db: Db): Promise<number | null> {
  // Pending: each endpoint's oldest row (a loose index scan); leased: an index-ordered scan that
  // stops at the first row of an enabled endpoint (min() over a join would read every row).
  const { rows } = await db.query<{ t: number | null }>(
    `WITH RECURSIVE ${PENDING_ENDPOINTS}
     SELECT LEAST(
       (SELECT min(${headDueAt('9223372036854775807')}) FROM eps JOIN endpoints e ON e.id = eps.ep AND NOT e.disabled),
       (SELECT d.lease_expires_at FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id AND NOT e.disabled
         WHERE d.status = ${DeliveryStatus.Sending} ORDER BY d.lease_expires_at LIMIT 1)
     ) AS t`,
  );
  return rows[0].t;
}
