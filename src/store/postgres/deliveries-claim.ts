import { planClaim, type EndpointHead } from '../claim-planner.js';
import type { ClaimRequest, ClaimedDelivery } from '../store.js';
import { LOCK_CLAIM } from './advisory-locks.js';
import type { Db, Queryable } from './db.js';
import { endpointsByIds } from './endpoints.js';
import { messagesByIds } from './messages.js';
import { toDelivery, type Row } from './row-mappers.js';

/** Rounds of planning: endpoints that filled their share in one round may have more for the next. */
const MAX_ROUNDS = 3;

/**
 * Lease up to `limit` due rows: pending with next_attempt_at <= now, or sending with an
 * expired lease; shared fairly between endpoints (`planClaim`); at most `perEndpointLimit` unexpired leases per endpoint
 * (counting rows already leased to anyone); rows of disabled endpoints are skipped (deleted
 * endpoints have no rows: they cascade). Same selection as the SQLite adapter.
 *
 * Several worker processes claim at once:
 * - every candidate row is read `FOR NO KEY UPDATE SKIP LOCKED`, so a row that another transaction
 *   holds (a claim, a completion, a resend) is passed over instead of waited for, and no two
 *   claims ever lease the same row;
 * - the claim transaction first takes a transaction-scoped advisory lock, so claims run one
 *   after another and each sees the leases the previous ones committed. Without it, two
 *   processes could both count 0 leases on an endpoint and together lease 2× its cap. A claim
 *   is a few index-ordered reads and one UPDATE, so the serialised part stays short; sending,
 *   the slow part, happens outside any transaction.
 */
export async function claimDeliveries(db: Db, req: ClaimRequest): Promise<ClaimedDelivery[]> {
  if (req.limit <= 0) return [];
  const leased = await db.tx(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_CLAIM]);
    const taken = await pickDue(client, req);
    if (taken.length === 0) return [];
    const { rows } = await client.query(
      `UPDATE deliveries SET status = 3, lease_owner = $1, lease_expires_at = $2, updated_at = $3
       WHERE id = ANY($4::text[]) RETURNING *`,
      [req.owner, req.now + req.leaseMs, req.now, taken],
    );
    return rows as Row[];
  }, { relaxed: true });
  if (leased.length === 0) return [];

  const [messages, endpoints] = await Promise.all([
    messagesByIds(db, leased.map((r) => r.msg_id as string)),
    endpointsByIds(db, leased.map((r) => r.endpoint_id as string)),
  ]);
  const out: ClaimedDelivery[] = [];
  leased.sort((a, b) => ((a.next_attempt_at as number) ?? 0) - ((b.next_attempt_at as number) ?? 0) || ((a.id as string) < (b.id as string) ? -1 : 1));
  for (const row of leased) {
    const m = messages.get(row.msg_id as string);
    const endpoint = endpoints.get(row.endpoint_id as string);
    if (!m || !endpoint) continue; // deleted since the claim committed: nothing to send
    out.push({
      delivery: toDelivery(row),
      triggerType: row.trigger_type as 0 | 1,
      message: { id: m.id, eventType: m.eventType, eventId: m.eventId, channels: m.channels, payload: m.payload, createdAt: m.createdAt },
      endpoint,
    });
  }
  return out;
}

/**
 * Choose the row IDs to lease; they stay locked by this transaction until it ends. Endpoints
 * with pending rows come from a loose index scan (one seek per endpoint on
 * `deliveries_pending_endpoint`); `planClaim` shares the batch between them; each endpoint's
 * oldest due rows are read by one ordered seek (LATERAL), skipping rows other transactions
 * hold. A claim never walks a backlog.
 */
async function pickDue(client: Queryable, req: ClaimRequest): Promise<string[]> {
  const inFlight = new Map<string, number>();
  const counts = await client.query<{ endpoint_id: string; n: number }>(
    'SELECT endpoint_id, count(*)::integer AS n FROM deliveries WHERE status = 3 AND lease_expires_at > $1 GROUP BY endpoint_id',
    [req.now],
  );
  for (const r of counts.rows) inFlight.set(r.endpoint_id, r.n);
  const taken: string[] = [];
  const take = (ep: string, id: string) => {
    taken.push(id);
    inFlight.set(ep, (inFlight.get(ep) ?? 0) + 1);
  };

  // Expired leases (crashed or stopped workers) are rare: one bounded, index-ordered scan.
  const expired = await client.query<{ id: string; endpoint_id: string }>(
    `SELECT d.id, d.endpoint_id FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id AND NOT e.disabled
     WHERE d.status = 3 AND d.lease_expires_at <= $1 ORDER BY d.lease_expires_at LIMIT $2
     FOR NO KEY UPDATE OF d SKIP LOCKED`,
    [req.now, req.limit],
  );
  for (const r of expired.rows) if ((inFlight.get(r.endpoint_id) ?? 0) < req.perEndpointLimit) take(r.endpoint_id, r.id);

  const heads = await client.query<{ endpoint_id: string; due_at: number }>(
    `WITH RECURSIVE eps(ep) AS (
       SELECT (SELECT endpoint_id FROM deliveries WHERE status = 1 ORDER BY endpoint_id LIMIT 1)
       UNION ALL
       SELECT (SELECT endpoint_id FROM deliveries WHERE status = 1 AND endpoint_id > eps.ep ORDER BY endpoint_id LIMIT 1)
       FROM eps WHERE eps.ep IS NOT NULL
     )
     SELECT h.ep AS endpoint_id, h.due_at FROM (
       SELECT ep, (SELECT min(next_attempt_at) FROM deliveries WHERE status = 1 AND endpoint_id = eps.ep) AS due_at
       FROM eps WHERE ep IS NOT NULL
     ) h JOIN endpoints e ON e.id = h.ep AND NOT e.disabled
     WHERE h.due_at <= $1`,
    [req.now],
  );
  let candidates: EndpointHead[] = heads.rows.map((r) => ({ endpointId: r.endpoint_id, dueAt: r.due_at }));
  for (let round = 0; round < MAX_ROUNDS && taken.length < req.limit && candidates.length > 0; round++) {
    const plan = planClaim(candidates, inFlight, req.limit - taken.length, req.perEndpointLimit);
    if (plan.size === 0) break;
    const { rows } = await client.query<{ id: string; endpoint_id: string }>(
      `SELECT d.id, d.endpoint_id FROM unnest($1::text[], $2::int[]) AS p(ep, n)
       CROSS JOIN LATERAL (
         SELECT id, endpoint_id FROM deliveries
         WHERE status = 1 AND endpoint_id = p.ep AND next_attempt_at <= $3 AND id <> ALL($4::text[])
         ORDER BY next_attempt_at LIMIT p.n
         FOR NO KEY UPDATE SKIP LOCKED
       ) d`,
      [[...plan.keys()], [...plan.values()], req.now, taken],
    );
    const got = new Map<string, number>();
    for (const r of rows) {
      take(r.endpoint_id, r.id);
      got.set(r.endpoint_id, (got.get(r.endpoint_id) ?? 0) + 1);
    }
    // Endpoints that filled their share may have more due rows; the others are drained.
    candidates = candidates.filter((h) => plan.has(h.endpointId) && got.get(h.endpointId) === plan.get(h.endpointId));
  }
  return taken;
}
