import { DeliveryStatus } from '../../domain/model.js';
import { PENDING_HEADS } from './pending-heads.js';
import type { SqliteContext } from './sqlite-context.js';

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
