import { DeliveryStatus } from '../../domain/model.js';
import { claimRounds, dueWorkOf, type DueRow } from '../claim-planner.js';
import type { ClaimRequest, ClaimedDelivery, DeliveryOutcome } from '../store.js';
import { applyOutcomes } from './outbox-complete.js';
import { claimedInDueOrder, claimedMessage } from '../claimed-message.js';
import { endpointsByIds } from '../catalog/endpoints.js';
import { messagesByIds } from '../catalog/messages.js';
import { runSteps } from './catalog-runner.js';
import { PENDING_HEADS } from './pending-heads.js';
import { json, type SqliteContext } from './sqlite-context.js';
import type { DeliveryRow } from '../catalog/schema.js';

/**
 * Store.claimDeliveries. The single writer makes an IMMEDIATE transaction exclusive, and a lease
 * lost in a power cut only makes its row due again, so the claim skips the fsync. It reads by
 * index seeks only (pending-heads.ts), so it never walks a backlog.
 */
export function claimDeliveries(ctx: SqliteContext, req: ClaimRequest): ClaimedDelivery[] {
  if (req.limit <= 0) return [];
  const leased = ctx.relaxed(() => ctx.db.transaction(() => leaseDue(ctx, req)).immediate());
  return hydrate(ctx, leased);
}

/**
 * Outcomes, then a claim that counts the leases they released, in one relaxed IMMEDIATE
 * transaction: both dirty the same pages, which a second commit would write to the WAL again.
 * Rows the outcomes leased themselves (ordered keys' next rows) count against the claim's limit.
 */
export function completeAndClaim(
  ctx: SqliteContext,
  outcomes: DeliveryOutcome[],
  req: ClaimRequest,
): ClaimedDelivery[] {
  const lease = { owner: req.owner, expiresAt: req.now + req.leaseMs, limit: req.limit };
  const leased = ctx.relaxed(() =>
    ctx.db
      .transaction(() => {
        const own = applyOutcomes(ctx, outcomes, lease);
        return [...own, ...leaseDue(ctx, { ...req, limit: req.limit - own.length })];
      })
      .immediate(),
  );
  return hydrate(ctx, leased);
}

/** Choose and lease the rows; runs inside the caller's IMMEDIATE transaction. */
function leaseDue(ctx: SqliteContext, req: ClaimRequest): DeliveryRow[] {
  if (req.limit <= 0) return [];
  // What the claim plans from, parsed by dueWorkOf. Expired leases are rare, so they are read by
  // one bounded scan in expiry order.
  const dueRead = ctx.stmt(
    `${PENDING_HEADS}
     SELECT 'leased' AS kind, endpoint_id, NULL AS id, COUNT(*) AS value FROM deliveries
       WHERE status = ${DeliveryStatus.Sending} AND lease_expires_at > @now GROUP BY endpoint_id
     UNION ALL
     SELECT * FROM (SELECT 'expired', d.endpoint_id, d.id, d.lease_expires_at FROM deliveries d
       JOIN endpoints e ON e.id = d.endpoint_id AND e.disabled = 0
       WHERE d.status = ${DeliveryStatus.Sending} AND d.lease_expires_at <= @now ORDER BY d.lease_expires_at LIMIT @limit)
     UNION ALL
     SELECT 'head', endpoint_id, NULL, due_at FROM heads WHERE due_at <= @now`,
  );
  const rowsOf = ctx.stmt(
    `SELECT id FROM deliveries WHERE status = ${DeliveryStatus.Pending} AND endpoint_id = ? AND next_attempt_at <= ?
     ORDER BY next_attempt_at LIMIT ? OFFSET ?`,
  );
  const lease = ctx.stmt(
    `UPDATE deliveries SET status = ${DeliveryStatus.Sending}, lease_owner = ?, lease_expires_at = ?, updated_at = ?
     WHERE id IN (SELECT value FROM json_each(?)) RETURNING *`,
  );
  const due = dueWorkOf(dueRead.all({ now: req.now, limit: req.limit }) as DueRow[]);
  // The rows are leased at the end, in one UPDATE: rows taken from an endpoint in earlier rounds are skipped with OFFSET.
  const taken: string[] = [];
  const takenFrom = new Map<string, number>();
  const rounds = claimRounds(due, req.limit, req.perEndpointLimit, req.settling);
  for (let round = rounds.next(); !round.done;) {
    taken.push(...round.value.expired);
    const got = new Map<string, number>();
    for (const [ep, n] of round.value.plan) {
      const offset = takenFrom.get(ep) ?? 0;
      const ids = (rowsOf.all(ep, req.now, n, offset) as Array<{ id: string }>).map((r) => r.id);
      taken.push(...ids);
      takenFrom.set(ep, offset + ids.length);
      got.set(ep, ids.length);
    }
    round = rounds.next(got);
  }
  if (taken.length === 0) return [];
  return lease.all(req.owner, req.now + req.leaseMs, req.now, json(taken)) as DeliveryRow[];
}

/** Leased rows with their message and endpoint, oldest due first. */
function hydrate(ctx: SqliteContext, leased: DeliveryRow[]): ClaimedDelivery[] {
  if (leased.length === 0) return [];
  const msgIds = leased.map((r) => r.msg_id);
  const endpointIds = leased.map((r) => r.endpoint_id);
  const messages = runSteps(ctx, messagesByIds(ctx.catalog, msgIds));
  const endpoints = runSteps(ctx, endpointsByIds(ctx.catalog, endpointIds));
  return claimedInDueOrder(
    leased,
    (r) => {
      const m = messages.get(r.msg_id);
      return m && claimedMessage(m, m.createdAt);
    },
    (r) => endpoints.get(r.endpoint_id),
  );
}
