import { DeliveryStatus } from '../../domain/model.js';
import type { Delivery } from '../../domain/model.js';
import { newId } from '../../ids.js';
import { healthFolds, rowMoves } from '../outcome-fold.js';
import type { DeliveryOutcome } from '../store.js';
import { PENDING_HEADS } from './pending-heads.js';
import { toDelivery } from '../catalog/delivery-views.js';
import { bit, json, type Row, type SqliteContext } from './sqlite-context.js';

/**
 * Apply a batch of outcomes in one transaction, idempotently: a batch written again (its commit
 * went through but the answer was lost) adds no attempt twice. The attempt is always recorded (even when the
 * lease was lost: the request did happen) as long as the delivery row still exists; the row
 * itself only moves while `owner` still holds its lease. No fsync (ctx.relaxed): an outcome
 * lost on power failure leaves the row due again, so it is sent again (at-least-once).
 */
export function completeDeliveries(ctx: SqliteContext, outcomes: DeliveryOutcome[]): void {
  if (outcomes.length === 0) return;
  ctx.relaxed(() => ctx.db.transaction(() => applyOutcomes(ctx, outcomes))());
}

/** The writes of completeDeliveries, inside the caller's transaction (also used by completeAndClaim). */
export function applyOutcomes(ctx: SqliteContext, outcomes: DeliveryOutcome[]): void {
  const insertAttempt = ctx.stmt(
    `INSERT INTO attempts (id, app_id, msg_id, endpoint_id, delivery_id, url, status, response_status_code, response,
       response_duration_ms, trigger_type, created_at)
     SELECT ?, app_id, msg_id, endpoint_id, id, ?, ?, ?, ?, ?, ?, ? FROM deliveries WHERE id = ?
     ON CONFLICT (id) DO NOTHING`,
  );
  const move = ctx.stmt(
    `UPDATE deliveries SET status = ?, next_attempt_at = ?, attempt_count = attempt_count + ?,
       last_attempt_at = COALESCE(?, last_attempt_at), lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
     WHERE id = ? AND lease_owner = ?`,
  );
  const health = ctx.stmt(
    `UPDATE endpoints SET
       failing_since = CASE WHEN @reset THEN @failFrom ELSE COALESCE(failing_since, @failFrom) END,
       disabled = CASE WHEN @disableAt IS NOT NULL THEN 1 ELSE disabled END,
       updated_at = CASE WHEN @disableAt IS NOT NULL AND disabled = 0 THEN @disableAt ELSE updated_at END
     WHERE id = @id`,
  );
  for (const o of outcomes) {
    const a = o.attempt;
    if (a)
      insertAttempt.run(
        a.id,
        a.url,
        a.status,
        a.responseStatusCode,
        a.response,
        a.responseDurationMs,
        a.triggerType,
        a.now,
        o.deliveryId,
      );
  }
  for (const m of rowMoves(outcomes)) move.run(m.status, m.nextAt, m.counted, m.attemptedAt, m.now, m.id, m.owner);
  for (const h of healthFolds(outcomes))
    health.run({ id: h.endpointId, reset: bit(h.reset), failFrom: h.failFrom, disableAt: h.disableAt });
}

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
  appId: string,
  msgId: string,
  endpointId: string,
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

/** Failed rows of the endpoint created in [since, until) become pending now, their schedule starting over. */
export function recoverEndpoint(
  ctx: SqliteContext,
  appId: string,
  endpointId: string,
  since: number,
  until: number | null,
  now: number,
): number {
  return ctx
    .stmt(
      `UPDATE deliveries SET status = ${DeliveryStatus.Pending}, attempt_count = 0, next_attempt_at = @now, updated_at = @now
     WHERE endpoint_id = @endpointId AND app_id = @appId AND status = ${DeliveryStatus.Fail} AND created_at >= @since AND (@until IS NULL OR created_at < @until)`,
    )
    .run({ now, endpointId, appId, since, until }).changes;
}
