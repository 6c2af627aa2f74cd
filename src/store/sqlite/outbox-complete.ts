import { healthFolds, orderedSuccesses, rowMoves } from '../outcome-fold.js';
import { finishHeads, promoteHeads } from './ordering.js';
import type { DeliveryOutcome } from '../store.js';
import type { PromotionLease } from '../delivery-types.js';
import { bit, type SqliteContext } from './sqlite-context.js';
import type { DeliveryRow } from '../catalog/schema.js';

/** Store.completeDeliveries on SQLite: one transaction without fsync (ctx.relaxed). */
export function completeDeliveries(ctx: SqliteContext, outcomes: DeliveryOutcome[]): void {
  if (outcomes.length === 0) return;
  ctx.relaxed(() => ctx.db.transaction(() => applyOutcomes(ctx, outcomes))());
}

/**
 * The writes of completeDeliveries, inside the caller's transaction (also used by completeAndClaim,
 * which passes `lease`: the ordered keys' next rows are leased to its worker, and returned).
 */
export function applyOutcomes(ctx: SqliteContext, outcomes: DeliveryOutcome[], lease?: PromotionLease): DeliveryRow[] {
  const insertAttempt = ctx.stmt(
    `INSERT INTO attempts (id, app_id, msg_id, endpoint_id, delivery_id, url, status, response_status_code, response,
       response_duration_ms, trigger_type, created_at)
     SELECT ?, app_id, msg_id, endpoint_id, id, ?, ?, ?, ?, ?, ?, ? FROM deliveries WHERE id = ?
     ON CONFLICT (id) DO NOTHING`,
  );
  const move = ctx.stmt(
    `UPDATE deliveries SET status = ?, next_attempt_at = ?, attempt_count = attempt_count + ?,
       last_attempt_at = COALESCE(?, last_attempt_at), lease_owner = NULL, lease_expires_at = NULL, updated_at = ?,
       dead_reason = ?
     WHERE id = ? AND lease_owner = ?`,
  );
  // Only where the fold changes the row: a healthy endpoint's successes leave its page unwritten.
  const health = ctx.stmt(
    `UPDATE endpoints SET
       failing_since = CASE WHEN @reset THEN @failFrom ELSE COALESCE(failing_since, @failFrom) END,
       disabled = CASE WHEN @disableAt IS NOT NULL THEN 1 ELSE disabled END,
       updated_at = CASE WHEN @disableAt IS NOT NULL AND disabled = 0 THEN @disableAt ELSE updated_at END
     WHERE id = @id AND (failing_since IS NOT (CASE WHEN @reset THEN @failFrom ELSE COALESCE(failing_since, @failFrom) END)
       OR (@disableAt IS NOT NULL AND disabled = 0))`,
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
  for (const m of rowMoves(outcomes))
    move.run(m.status, m.nextAt, m.counted, m.attemptedAt, m.now, m.reason, m.id, m.owner);
  for (const h of healthFolds(outcomes))
    health.run({ id: h.endpointId, reset: bit(h.reset), failFrom: h.failFrom, disableAt: h.disableAt });
  // An ordered head that succeeded lets its key's next row go.
  const done = orderedSuccesses(outcomes);
  if (done.length === 0) return [];
  return promoteHeads(ctx, finishHeads(ctx, done), outcomes[0].attempt?.now ?? Date.now(), lease);
}
