import type { ClaimRequest, ClaimedDelivery } from '../store.js';
import { endpointsByIds } from './endpoints.js';
import { messagesByIds } from './messages.js';
import { toDelivery } from './row-mappers.js';
import { json, type Row, type SqliteContext } from './sqlite-context.js';

/** Scan rounds before giving up on filling the batch (each round skips the endpoints found at their cap). */
const MAX_ROUNDS = 8;

/**
 * Lease up to `limit` due rows: pending with next_attempt_at <= now, or sending with an
 * expired lease; oldest first; at most `perEndpointLimit` unexpired leases per endpoint
 * (counting rows already leased to anyone), so one slow endpoint cannot take every slot.
 * Rows of disabled endpoints are skipped (deleted endpoints have no rows: they cascade).
 *
 * SQLite has a single writer, so a plain (IMMEDIATE) transaction makes the claim exclusive.
 * The lease needs no fsync (ctx.relaxed): lost on power failure, the row is simply due again.
 * The scan reads the time-ordered due index in bounded windows; when an endpoint reaches its
 * cap it is excluded from the next window, so a large backlog of one endpoint never hides
 * the due rows of the others behind it.
 */
export function claimDeliveries(ctx: SqliteContext, req: ClaimRequest): ClaimedDelivery[] {
  if (req.limit <= 0) return [];
  const leasedCounts = ctx.stmt(
    'SELECT endpoint_id, COUNT(*) AS n FROM deliveries WHERE status = 3 AND lease_expires_at > ? GROUP BY endpoint_id',
  );
  // Two index-ordered scans (pending by due time, sending by lease expiry), merged below;
  // each stops after its window, so a claim never reads the whole backlog.
  const scanPending = ctx.stmt(
    `SELECT d.id, d.endpoint_id, d.next_attempt_at AS due_at FROM deliveries d
     JOIN endpoints e ON e.id = d.endpoint_id AND e.disabled = 0
     WHERE d.status = 1 AND d.next_attempt_at <= ? AND d.endpoint_id NOT IN (SELECT value FROM json_each(?))
     ORDER BY d.next_attempt_at LIMIT ?`,
  );
  const scanExpired = ctx.stmt(
    `SELECT d.id, d.endpoint_id, d.lease_expires_at AS due_at FROM deliveries d
     JOIN endpoints e ON e.id = d.endpoint_id AND e.disabled = 0
     WHERE d.status = 3 AND d.lease_expires_at <= ? AND d.endpoint_id NOT IN (SELECT value FROM json_each(?))
     ORDER BY d.lease_expires_at LIMIT ?`,
  );
  const scan = (now: number, exclude: string, limit: number): Row[] => {
    const a = scanPending.all(now, exclude, limit) as Row[];
    const b = scanExpired.all(now, exclude, limit) as Row[];
    if (b.length === 0) return a;
    return [...a, ...b].sort((x, y) => (x.due_at as number) - (y.due_at as number)).slice(0, limit);
  };
  const lease = ctx.stmt(
    `UPDATE deliveries SET status = 3, lease_owner = ?, lease_expires_at = ?, updated_at = ?
     WHERE id IN (SELECT value FROM json_each(?)) RETURNING *`,
  );

  const leased = ctx.relaxed(() => ctx.db.transaction((): Row[] => {
    const inFlight = new Map<string, number>();
    for (const r of leasedCounts.all(req.now) as Row[]) inFlight.set(r.endpoint_id as string, r.n as number);
    const full = new Set<string>();
    for (const [ep, n] of inFlight) if (n >= req.perEndpointLimit) full.add(ep);
    const taken: string[] = [];
    const takenSet = new Set<string>();
    for (let round = 0; round < MAX_ROUNDS && taken.length < req.limit; round++) {
      const want = req.limit - taken.length;
      const window = want + 64;
      // Rows taken in earlier rounds are not leased yet and come back: ask for that many more.
      const ask = window + takenSet.size;
      const rows = scan(req.now, json([...full]), ask);
      let fresh = 0;
      for (const r of rows) {
        const id = r.id as string;
        if (takenSet.has(id)) continue;
        fresh++;
        const ep = r.endpoint_id as string;
        if (full.has(ep)) continue;
        const n = inFlight.get(ep) ?? 0;
        taken.push(id);
        takenSet.add(id);
        inFlight.set(ep, n + 1);
        if (n + 1 >= req.perEndpointLimit) full.add(ep);
        if (taken.length >= req.limit) break;
      }
      // The window was not full: there is nothing more to find.
      if (rows.length < ask || fresh === 0) break;
    }
    if (taken.length === 0) return [];
    return lease.all(req.owner, req.now + req.leaseMs, req.now, json(taken)) as Row[];
  }).immediate());

  if (leased.length === 0) return [];
  const messages = messagesByIds(ctx, leased.map((r) => r.msg_id as string));
  const endpoints = endpointsByIds(ctx, leased.map((r) => r.endpoint_id as string));
  const out: ClaimedDelivery[] = [];
  for (const row of leased.sort((a, b) => ((a.next_attempt_at as number) ?? 0) - ((b.next_attempt_at as number) ?? 0))) {
    const m = messages.get(row.msg_id as string);
    const endpoint = endpoints.get(row.endpoint_id as string);
    if (!m || !endpoint) continue; // cannot happen inside one connection: rows cascade with their parents
    out.push({
      delivery: toDelivery(row),
      triggerType: row.trigger_type as 0 | 1,
      message: { id: m.id, eventType: m.eventType, eventId: m.eventId, channels: m.channels, payload: m.payload, createdAt: m.createdAt },
      endpoint,
    });
  }
  return out;
}
