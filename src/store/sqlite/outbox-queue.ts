import { DeliveryStatus } from '../../domain/model.js';
import type { Delivery } from '../../domain/model.js';
import { newId } from '../../ids.js';
import { toDelivery } from '../catalog/delivery-views.js';
import { PENDING_HEADS } from './pending-heads.js';
import { json, type Row, type SqliteContext } from './sqlite-context.js';
import type { AppId, EndpointId, MessageId } from '../../ids.js';

/** The queue operations other than write, claim and complete: give back, next due time, resend (recover: a background task, catalog/task-chunks.ts). */

/** Give leased rows back, due as before, without an attempt (graceful shutdown). */
export function releaseDeliveries(ctx: SqliteContext, ids: string[], owner: string): void {
  if (ids.length === 0) return;
  ctx
    .stmt(
      `UPDATE deliveries SET status = ${DeliveryStatus.Pending}, lease_owner = NULL, lease_expires_at = NULL
     WHERE id IN (SELECT value FROM json_each(?)) AND status = ${DeliveryStatus.Sending} AND lease_owner = ?`,
    )
    .run(json(ids), owner);
}

/** Earliest due time among rows of enabled endpoints: pending by next_attempt_at, sending by lease expiry. */
export function nextDueAt(ctx: SqliteContext): number | null {
  const pending = ctx.stmt(`${PENDING_HEADS} SELECT MIN(due_at) AS t FROM heads`).get() as { t: number | null };
  // An ordered scan that stops at the first row of an enabled endpoint (MIN() with a join would read every row).
  const leased = ctx
    .stmt(
      `SELECT d.lease_expires_at AS t FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id AND e.disabled = 0
     WHERE d.status = ${DeliveryStatus.Sending} ORDER BY d.lease_expires_at LIMIT 1`,
    )
    .get() as { t: number } | undefined;
  if (pending.t === null && !leased) return null;
  return Math.min(pending.t ?? Infinity, leased?.t ?? Infinity);
}

/**
 * Queue (message, endpoint) again now as a manual attempt, creating the row if absent. The
 * attempt count starts over, so the retry schedule does too (as Svix does for a manual resend);
 * a lease held on the row is dropped (its holder's outcome will no longer move it).
 */
export function resendDelivery(
  ctx: SqliteContext,
  appId: AppId,
  msgId: MessageId,
  endpointId: EndpointId,
  now: number,
): Delivery | null {
  return ctx.db.transaction((): Delivery | null => {
    const msg = ctx.stmt('SELECT 1 FROM messages WHERE app_id = ? AND id = ?').get(appId, msgId);
    const ep = ctx.stmt('SELECT 1 FROM endpoints WHERE app_id = ? AND id = ?').get(appId, endpointId);
    if (!msg || !ep) return null;
    const row = ctx
      .stmt(
        `INSERT INTO deliveries (id, app_id, msg_id, endpoint_id, status, attempt_count, next_attempt_at, trigger_type, created_at, updated_at)
       VALUES (@id, @appId, @msgId, @endpointId, ${DeliveryStatus.Pending}, 0, @now, 1, @now, @now)
       ON CONFLICT (msg_id, endpoint_id) DO UPDATE SET status = ${DeliveryStatus.Pending}, attempt_count = 0, next_attempt_at = @now, trigger_type = 1,
         lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
       RETURNING *`,
      )
      .get({ id: newId('delivery', now), appId, msgId, endpointId, now }) as Row;
    return toDelivery(row as never);
  })();
}
