import type { ClaimRequest, ClaimedDelivery } from '../store.js';
import { LOCK_CLAIM } from './advisory-locks.js';
import type { Db, Queryable } from './db.js';
import { endpointsByIds } from './endpoints.js';
import { messagesByIds } from './messages.js';
import { toDelivery, type Row } from './row-mappers.js';

/** Scan rounds before giving up on filling the batch (each round skips the endpoints found at their cap). */
const MAX_ROUNDS = 8;
/** Rows read beyond what is still wanted, so endpoints that reach their cap mid-window do not empty the batch. */
const WINDOW_SLACK = 64;

/**
 * Lease up to `limit` due rows: pending with next_attempt_at <= now, or sending with an
 * expired lease; oldest first; at most `perEndpointLimit` unexpired leases per endpoint
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

/** Choose the row IDs to lease; candidate rows stay locked by this transaction until it ends. */
async function pickDue(client: Queryable, req: ClaimRequest): Promise<string[]> {
  const inFlight = new Map<string, number>();
  const counts = await client.query<{ endpoint_id: string; n: number }>(
    'SELECT endpoint_id, count(*) AS n FROM deliveries WHERE status = 3 AND lease_expires_at > $1 GROUP BY endpoint_id',
    [req.now],
  );
  for (const r of counts.rows) inFlight.set(r.endpoint_id, r.n);
  const full = new Set<string>();
  for (const [ep, n] of inFlight) if (n >= req.perEndpointLimit) full.add(ep);

  const taken: string[] = [];
  for (let round = 0; round < MAX_ROUNDS && taken.length < req.limit; round++) {
    const window = req.limit - taken.length + WINDOW_SLACK;
    const rows = await scanDue(client, req.now, [...full], taken, window);
    for (const r of rows) {
      const ep = r.endpoint_id;
      if (full.has(ep)) continue;
      const n = inFlight.get(ep) ?? 0;
      taken.push(r.id);
      inFlight.set(ep, n + 1);
      if (n + 1 >= req.perEndpointLimit) full.add(ep);
      if (taken.length >= req.limit) break;
    }
    // The window was not full: there is nothing more to find.
    if (rows.length < window) break;
  }
  return taken;
}

/**
 * Two index-ordered scans (pending by due time, sending by lease expiry), merged by due time;
 * each stops after its window, so a claim never reads the whole backlog. Endpoints at their cap
 * and rows already taken by this claim are excluded.
 */
async function scanDue(client: Queryable, now: number, full: string[], taken: string[], window: number) {
  const { rows } = await client.query<{ id: string; endpoint_id: string; due_at: number }>(
    `WITH pending AS (
       SELECT d.id, d.endpoint_id, d.next_attempt_at AS due_at FROM deliveries d
       JOIN endpoints e ON e.id = d.endpoint_id AND NOT e.disabled
       WHERE d.status = 1 AND d.next_attempt_at <= $1 AND d.endpoint_id <> ALL($2::text[]) AND d.id <> ALL($3::text[])
       ORDER BY d.next_attempt_at LIMIT $4
       FOR NO KEY UPDATE OF d SKIP LOCKED
     ), expired AS (
       SELECT d.id, d.endpoint_id, d.lease_expires_at AS due_at FROM deliveries d
       JOIN endpoints e ON e.id = d.endpoint_id AND NOT e.disabled
       WHERE d.status = 3 AND d.lease_expires_at <= $1 AND d.endpoint_id <> ALL($2::text[]) AND d.id <> ALL($3::text[])
       ORDER BY d.lease_expires_at LIMIT $4
       FOR NO KEY UPDATE OF d SKIP LOCKED
     )
     SELECT * FROM (SELECT * FROM pending UNION ALL SELECT * FROM expired) c ORDER BY due_at, id LIMIT $4`,
    [now, full, taken, window],
  );
  return rows;
}
