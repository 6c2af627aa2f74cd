import { DeliveryStatus } from '../../domain/model.js';
import type { Delivery } from '../../domain/model.js';
import { newId } from '../../ids.js';
import type { Db } from './db.js';
import { CHANNEL_WORK } from './channels.js';
import { headDueAt, PENDING_ENDPOINTS } from './pending-heads.js';
import { toDelivery } from '../catalog/delivery-views.js';
import type { AppId, EndpointId, MessageId } from '../../ids.js';

/**
 * The queue operations other than claim (outbox-claim.ts) and complete
 * (outbox-complete.ts). Writes that make rows due now NOTIFY `hookrelay_work` in the same
 * statement, so workers in every process wake when it commits.
 */

/** Give leased rows back, due as before, without an attempt (graceful shutdown); returns how many. */
export async function releaseDeliveries(db: Db, ids: string[], owner: string): Promise<number> {
  if (ids.length === 0) return 0;
  const { rows } = await db.query<{ n: number }>(
    `WITH r AS (
       UPDATE deliveries SET status = ${DeliveryStatus.Pending}, lease_owner = NULL, lease_expires_at = NULL
       WHERE id = ANY($1::text[]) AND status = ${DeliveryStatus.Sending} AND lease_owner = $2 RETURNING app_id
     )
     SELECT count(*)::integer AS n, CASE WHEN count(*) > 0 THEN pg_notify('${CHANNEL_WORK}', min(app_id)) END AS notified FROM r`,
    [ids, owner],
  );
  return rows[0].n;
}

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

/**
 * Queue (message, endpoint) again now as a manual attempt, creating the row if absent. The
 * attempt count starts over, so the retry schedule does too (as Svix does for a manual resend);
 * a lease held on the row is dropped (its holder's outcome will no longer move it). The endpoint
 * and message rows are locked FOR KEY SHARE, as ingest does, so a concurrent delete cannot
 * leave this row behind.
 */
export async function resendDelivery(
  db: Db,
  appId: AppId,
  msgId: MessageId,
  endpointId: EndpointId,
  now: number,
): Promise<Delivery | null> {
  const { rows } = await db.query(
    `WITH ep AS (SELECT id FROM endpoints WHERE app_id = $2 AND id = $4 FOR KEY SHARE),
     m AS (SELECT id FROM messages WHERE app_id = $2 AND id = $3 FOR KEY SHARE),
     r AS (
       INSERT INTO deliveries (id, app_id, msg_id, endpoint_id, status, attempt_count, next_attempt_at, trigger_type, created_at, updated_at)
       SELECT $1::text, $2::text, m.id, ep.id, ${DeliveryStatus.Pending}, 0, $5::bigint, 1, $5::bigint, $5::bigint FROM ep, m
       ON CONFLICT (msg_id, endpoint_id) DO UPDATE SET status = ${DeliveryStatus.Pending}, attempt_count = 0, next_attempt_at = $5, trigger_type = 1,
         lease_owner = NULL, lease_expires_at = NULL, updated_at = $5
       RETURNING *
     )
     SELECT r.*, pg_notify('${CHANNEL_WORK}', r.app_id) AS notified FROM r`,
    [newId('delivery', now), appId, msgId, endpointId, now],
  );
  return rows[0] ? toDelivery(rows[0] as never) : null;
}
