import type { ClaimRequest, ClaimedDelivery, NewMessage } from '../store.js';
import { DeliveryStatus } from '../../domain/model.js';
import { LOCK_CLAIM } from './advisory-locks.js';
import { toEndpoint } from '../catalog/endpoints.js';
import type { CatalogContext } from '../catalog/catalog-context.js';
import type { Row } from './db.js';
import type { PlannedDelivery } from '../outbox-plan.js';

/**
 * Ingest's hand-off to this process's worker (createMessagesAndClaim): the batch's due rows
 * are inserted already leased to it, so a new message's deliveries are sent without a claim
 * transaction of their own (on the latency path, that claim was four round trips and most of
 * the time from arrival to send). CTEs for the ingest WRITE statement (outbox-write.ts):
 * from `queued_in(id, endpoint_id, due, ord)`, the batch's rows of inserted messages, they
 * define `chosen(id)`, the rows to insert leased. Parameters $16–$20 (claimParams).
 *
 * The rules of a claim (outbox-claim.ts) hold:
 * - the claim lock serialises this with every claim, so the per-endpoint lease counts are
 *   exact. It is only tried: while a claim holds it, nothing is chosen and the rows stay
 *   pending for that claim or the next (ingest never waits for a claim). Taken, it is held to
 *   COMMIT: claims wait for this commit, never the other way round.
 * - what follows is read once the lock is held, by `hookrelay_ingest_room`
 *   (migrations/0004-ingest-room.ts), with a snapshot of its own: this statement's snapshot is
 *   older than the lock, and a claim that committed and let go of the lock after it began
 *   (while this statement waited for the seq lock, say) would be missing from its counts.
 * - no row goes ahead of an older due row of its endpoint (a backlog, a retry that is due):
 *   such an endpoint's rows are left to the claim, which takes the oldest first. The rows this
 *   statement inserts come after that read, so "older" is every pending row.
 * - each endpoint gets at most `perEndpointLimit` minus its unexpired leases; the batch at
 *   most `limit` rows, in the batch's order; a disabled endpoint none. The leases are counted
 *   as the claim's DUE counts them, from the small partial index `deliveries_leased`, never
 *   from an endpoint's rows (a count per endpoint could use `deliveries_endpoint_msg`, every
 *   row the endpoint ever had).
 */
export const CLAIM_QUEUED = `claim_lock AS (
      SELECT CASE WHEN $16::text IS NULL THEN false ELSE pg_try_advisory_xact_lock(${LOCK_CLAIM}) END AS ok
    ), room AS (
      SELECT r.ep AS endpoint_id, r.room AS n
      FROM hookrelay_ingest_room(ARRAY(SELECT DISTINCT endpoint_id FROM queued_in WHERE due <= $17), $17, $20) r
      WHERE (SELECT ok FROM claim_lock)
    ), chosen AS (
      SELECT q.id FROM (
        SELECT id, endpoint_id, ord, row_number() OVER (PARTITION BY endpoint_id ORDER BY ord) AS k FROM queued_in WHERE due <= $17
      ) q JOIN room r ON r.endpoint_id = q.endpoint_id AND q.k <= r.n
      ORDER BY q.ord LIMIT $19
    )`;

/** $16–$20 of the WRITE statement: owner (null: claim nothing), now, lease expiry, limit, per-endpoint limit. */
export function claimParams(claim: ClaimRequest | undefined): unknown[] {
  if (!claim || claim.limit <= 0) return [null, 0, 0, 0, 0];
  return [claim.owner, claim.now, claim.now + claim.leaseMs, claim.limit, claim.perEndpointLimit];
}

/** The rows WRITE inserted leased (`leased`, their endpoints as JSON rows), as the worker takes them, in batch order. */
export function claimedOf(
  leased: string[],
  endpointRows: Row[] | null,
  queued: PlannedDelivery[],
  inputs: NewMessage[],
  claim: ClaimRequest,
  catalog: CatalogContext,
): ClaimedDelivery[] {
  if (leased.length === 0) return [];
  const ids = new Set(leased);
  const messages = new Map(inputs.map((m) => [m.id, m]));
  const endpoints = new Map((endpointRows ?? []).map((r) => [r.id as string, toEndpoint(catalog, r as never)]));
  const out: ClaimedDelivery[] = [];
  for (const q of queued) {
    const endpoint = endpoints.get(q.endpointId);
    if (!ids.has(q.id) || !endpoint) continue;
    const m = messages.get(q.msgId)!;
    out.push({
      delivery: {
        id: q.id,
        appId: m.appId,
        msgId: q.msgId,
        endpointId: q.endpointId,
        status: DeliveryStatus.Sending,
        attemptCount: 0,
        nextAttemptAt: q.dueAt,
        lastAttemptAt: null,
        createdAt: q.now,
        updatedAt: claim.now,
      },
      triggerType: 0,
      message: {
        id: m.id,
        eventType: m.eventType,
        eventId: m.eventId,
        channels: m.channels,
        payload: m.payload,
        createdAt: m.now,
        traceContext: m.traceContext ?? null,
      },
      endpoint,
    });
  }
  return out;
}
