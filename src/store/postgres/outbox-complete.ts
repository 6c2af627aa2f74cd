import type { ClaimedDelivery, ClaimRequest, DeliveryOutcome } from '../store.js';
import { claimDeliveries, toClaimed, type LeasedRow } from './outbox-claim.js';
import { DeliveryStatus } from '../../domain/model.js';
import { healthFolds, orderedSuccesses, rowMoves, settlingOf } from '../outcome-fold.js';
import { keysOf, nextHeads, nextHeadsLeased } from './ordering.js';
import { bind, columns, type Db, type NamedStatement } from './db.js';
import { anyDue, PENDING_ENDPOINTS } from './pending-heads.js';
import { runSteps } from './catalog-runner.js';
import { releaseDeliveries } from '../catalog/queue-control.js';

/**
 * Store.completeDeliveries in one statement over unnest arrays, on an outcome session's cached plan.
 * Lock order, so two workers' batches queue instead of deadlocking: `locked` takes the delivery
 * rows in ID order, and `moved` waits for all of them (its filter on `locked`), else a row updated
 * before its lock would lose its attempt; then `endpoints_locked` takes the endpoints whose health
 * changes, in ID order, rechecked once locked, and `health` updates them once all are.
 */
const FAILING_SINCE = `CASE WHEN h.reset THEN h.fail_from ELSE COALESCE(e.failing_since, h.fail_from) END`;
/** Whether fold `h` changes endpoint `e`: a healthy endpoint's successes neither lock nor rewrite its row. */
const HEALTH_CHANGES = `(e.failing_since IS DISTINCT FROM ${FAILING_SINCE} OR (h.disable_at IS NOT NULL AND NOT e.disabled))`;

const COMPLETE: NamedStatement = {
  name: 'hookrelay_complete',
  text: `WITH RECURSIVE ${PENDING_ENDPOINTS}, locked AS (
      SELECT d.* FROM unnest($1::text[]) AS k(id)
      CROSS JOIN LATERAL (SELECT id, app_id, msg_id, endpoint_id, order_key FROM deliveries WHERE id = k.id FOR NO KEY UPDATE) d
    ), attempted AS (
      INSERT INTO attempts (id, app_id, msg_id, endpoint_id, delivery_id, url, status, response_status_code, response,
        response_duration_ms, trigger_type, created_at)
      SELECT a.id, d.app_id, d.msg_id, d.endpoint_id, d.id, a.url, a.status, a.code, a.response, a.duration, a.trigger_type, a.now
        FROM unnest($8::text[], $9::text[], $10::text[], $11::smallint[], $12::integer[], $13::text[], $14::integer[],
                    $15::smallint[], $16::bigint[])
          AS a(id, delivery_id, url, status, code, response, duration, trigger_type, now)
        JOIN locked d ON d.id = a.delivery_id
      ON CONFLICT (id) DO NOTHING
    ), moved AS (
      UPDATE deliveries d SET status = u.status, next_attempt_at = u.next_at, attempt_count = d.attempt_count + u.counted,
        last_attempt_at = COALESCE(u.attempted_at, d.last_attempt_at), lease_owner = NULL, lease_expires_at = NULL,
        updated_at = u.now, dead_reason = u.reason,
        order_key = CASE WHEN u.status = ${DeliveryStatus.Success} THEN NULL ELSE d.order_key END
      FROM unnest($1::text[], $2::text[], $3::smallint[], $4::bigint[], $5::integer[], $6::bigint[], $7::bigint[],
                  $22::text[])
          AS u(id, owner, status, next_at, counted, attempted_at, now, reason)
      WHERE d.id = u.id AND d.lease_owner = u.owner AND (SELECT count(*) FROM locked) >= 0
      RETURNING d.id, u.status
    ), endpoints_locked AS (
      SELECT e.* FROM unnest($17::text[], $18::boolean[], $19::bigint[], $20::bigint[]) AS h(id, reset, fail_from, disable_at)
      CROSS JOIN LATERAL (
        SELECT id FROM endpoints e WHERE id = h.id AND ${HEALTH_CHANGES} AND (SELECT count(*) FROM locked) >= 0
        FOR NO KEY UPDATE
      ) e
    ), health AS (
      UPDATE endpoints e SET
        failing_since = ${FAILING_SINCE},
        disabled = e.disabled OR h.disable_at IS NOT NULL,
        updated_at = CASE WHEN h.disable_at IS NOT NULL AND NOT e.disabled THEN h.disable_at ELSE e.updated_at END
      FROM unnest($17::text[], $18::boolean[], $19::bigint[], $20::bigint[]) AS h(id, reset, fail_from, disable_at)
      WHERE e.id = h.id AND e.id = ANY (ARRAY(SELECT id FROM endpoints_locked))
    )
    SELECT CASE WHEN $21::bigint IS NULL THEN false ELSE ${anyDue('$21::bigint')} END AS due,
      (SELECT json_agg(DISTINCT jsonb_build_array(l.endpoint_id, l.order_key)) FROM moved m JOIN locked l ON l.id = m.id
        WHERE m.status = ${DeliveryStatus.Success} AND l.order_key IS NOT NULL) AS keys`,
};

/** What an outcome commit that claims next learns: whether a claim would find rows due, and the rows it leased itself. */
export interface Completed {
  due: boolean;
  leased: LeasedRow[];
}

/**
 * Apply `outcomes`. With `claim`, also tell whether a claim would find anything (so it is skipped
 * when nothing is due), and lease the next rows of the ordered keys that succeeded to the claiming
 * worker (ordering.ts); without, those rows are made due for any worker.
 */
export async function completeDeliveries(
  db: Db,
  outcomes: DeliveryOutcome[],
  claim: ClaimRequest | null = null,
): Promise<Completed> {
  if (outcomes.length === 0) return { due: claim !== null, leased: [] };
  const probeAt = claim?.now ?? null;
  const moves = rowMoves(outcomes).sort((a, b) => (a.id < b.id ? -1 : 1)); // locked in ID order
  const a = outcomes.filter((o) => o.attempt).map((o) => ({ ...o.attempt!, deliveryId: o.deliveryId }));
  const hs = healthFolds(outcomes);
  const values = [
    ...columns(moves, 'id', 'owner', 'status', 'nextAt', 'counted', 'attemptedAt', 'now'),
    ...columns(a, 'id', 'deliveryId', 'url', 'status', 'responseStatusCode', 'response'),
    a.map((x) => Math.round(x.responseDurationMs)),
    ...columns(a, 'triggerType', 'now'),
    ...columns(hs, 'endpointId', 'reset', 'failFrom', 'disableAt'),
    probeAt,
    moves.map((m) => m.reason),
  ];
  // An ordered success promotes its key's next row under the key's lock, in the same transaction.
  if (orderedSuccesses(outcomes).length === 0) {
    const { rows } = await db.query<{ due: boolean }>(COMPLETE, values, { outcome: true });
    return { due: claim !== null && rows[0].due, leased: [] };
  }
  return db.tx(
    async (client) => {
      const { rows } = await client.query<{ due: boolean; keys: Array<[string, string]> | null }>(
        bind(COMPLETE, values),
      );
      const keys = keysOf(rows[0].keys);
      if (claim === null) {
        await nextHeads(client, keys, moves[0].now);
        return { due: false, leased: [] };
      }
      const lease = { owner: claim.owner, expiresAt: claim.now + claim.leaseMs, limit: claim.limit };
      return { due: rows[0].due, leased: await nextHeadsLeased(client, keys, moves[0].now, lease) };
    },
    { outcome: true },
  );
}

/** Per store: the last claim made with a commit leased rows, so more are likely due (a backlog). */
const backlog = new WeakMap<Db, boolean>();

/**
 * Outcomes and a claim in two transactions: side by side while a backlog waits; otherwise the
 * claim only if the outcomes found rows due, leaving the claim lock free for ingest's hand-off.
 * A claim that fails leases nothing (the worker's loop claims again) so outcomes are not written twice.
 */
export async function completeAndClaim(
  db: Db,
  outcomes: DeliveryOutcome[],
  claim: ClaimRequest,
): Promise<ClaimedDelivery[]> {
  const beside = backlog.get(db) === true && outcomes.length > 0 && orderedSuccesses(outcomes).length === 0;
  const claimed = beside
    ? await completeBesideClaim(db, outcomes, claim)
    : await completeThenClaim(db, outcomes, claim);
  backlog.set(db, claimed.length > 0);
  return claimed;
}

async function completeThenClaim(db: Db, outcomes: DeliveryOutcome[], claim: ClaimRequest): Promise<ClaimedDelivery[]> {
  const { due, leased } = await completeDeliveries(db, outcomes, claim);
  const promoted = toClaimed(db, leased);
  const room = claim.limit - promoted.length;
  if (!due || room <= 0) return promoted;
  try {
    return [...promoted, ...(await claimDeliveries(db, { ...claim, limit: room }))];
  } catch {
    return promoted;
  }
}

/**
 * Outcomes without an ordered success, and the next claim, on two connections: the claim counts
 * the batch's rows as settling, not leased. A commit that fails gives back what the claim leased.
 */
async function completeBesideClaim(
  db: Db,
  outcomes: DeliveryOutcome[],
  claim: ClaimRequest,
): Promise<ClaimedDelivery[]> {
  const settling = settlingOf(outcomes, new Map(claim.settling ?? []));
  const claiming = claimDeliveries(db, { ...claim, settling }).catch(() => [] as ClaimedDelivery[]);
  try {
    await completeDeliveries(db, outcomes);
  } catch (err) {
    const leased = (await claiming).map((c) => c.delivery.id);
    await runSteps(db, releaseDeliveries(db.catalog, leased, claim.owner), null).catch(() => {});
    throw err;
  }
  return claiming;
}
