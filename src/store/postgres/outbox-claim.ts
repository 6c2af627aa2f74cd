import { DeliveryStatus } from '../../domain/model.js';
import type { Endpoint, TriggerType } from '../../domain/model.js';
import { claimRounds, dueWorkOf, type DueRow } from '../claim-planner.js';
import type { ClaimRequest, ClaimedDelivery } from '../store.js';
import { LOCK_CLAIM } from './advisory-locks.js';
import { bind, type Db, type NamedStatement, type Queryable } from './db.js';
import { headDueAt, PENDING_ENDPOINTS } from './pending-heads.js';
import { toEndpoint } from '../catalog/endpoints.js';
import { claimedInDueOrder } from '../claimed-message.js';
import type { DeliveryColumns, EndpointRow } from '../catalog/schema.js';
import type { MessageId } from '../../ids.js';

/**
 * Store.claimDeliveries with many workers at once: rows read `FOR NO KEY UPDATE SKIP LOCKED` are
 * never leased twice, and the advisory lock makes each claim see the previous one's leases, so two
 * claims cannot together pass an endpoint's cap. BEGIN with the lock, DUE, a LEASE per round, COMMIT.
 */
export async function claimDeliveries(db: Db, req: ClaimRequest): Promise<ClaimedDelivery[]> {
  if (req.limit <= 0) return [];
  const leased = await db.tx((client) => leaseDue(client, req), { relaxed: true, lock: LOCK_CLAIM, generic: true });
  return toClaimed(db, leased);
}

/** A row of LEASED_ROWS: a delivery, its message's columns (null when the message is gone), its endpoint's row on one row per endpoint. */
export interface LeasedRow extends DeliveryColumns {
  trigger_type: TriggerType;
  m_id: MessageId | null;
  m_event_type: string;
  m_event_id: string | null;
  m_channels: string[] | null;
  m_payload: string | null;
  m_created_at: number;
  m_trace_context: string | null;
  endpoint: EndpointRow | null;
}

/** Leased rows (LEASED_ROWS) as the worker takes them (claimedInDueOrder). */
export function toClaimed(db: Db, leased: LeasedRow[]): ClaimedDelivery[] {
  // Each endpoint comes once (on one of its rows), as stored when the row was leased.
  const endpoints = new Map<string, Endpoint>();
  for (const r of leased) if (r.endpoint) endpoints.set(r.endpoint_id, toEndpoint(db.catalog, r.endpoint));
  return claimedInDueOrder(leased, leasedMessage, (r) => endpoints.get(r.endpoint_id));
}

/** The message columns LEASED_ROWS brings along; none when the message was deleted before the lease. */
function leasedMessage(r: LeasedRow): ClaimedDelivery['message'] | undefined {
  if (r.m_id === null) return undefined;
  return {
    id: r.m_id,
    eventType: r.m_event_type,
    eventId: r.m_event_id,
    channels: r.m_channels,
    payload: r.m_payload,
    createdAt: r.m_created_at,
    traceContext: r.m_trace_context,
  };
}

/**
 * What a claim plans from, in one statement (DueRow): the unexpired leases per endpoint, the
 * expired leases of enabled endpoints, locked so no other claim takes them, and the endpoints with
 * due rows, found by a loose index scan (pending-heads.ts) so a backlog is never walked.
 */
const DUE: NamedStatement = {
  name: 'hookrelay_claim_due',
  text: `WITH RECURSIVE leased AS (
      SELECT endpoint_id, count(*) AS n FROM deliveries WHERE status = ${DeliveryStatus.Sending} AND lease_expires_at > $1 GROUP BY endpoint_id
    ), expired AS (
      SELECT d.id, d.endpoint_id, d.lease_expires_at FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id AND NOT e.disabled
      WHERE d.status = ${DeliveryStatus.Sending} AND d.lease_expires_at <= $1 ORDER BY d.lease_expires_at LIMIT $2
      FOR NO KEY UPDATE OF d SKIP LOCKED
    ), ${PENDING_ENDPOINTS}
    SELECT 'leased' AS kind, endpoint_id, NULL::text AS id, n AS value FROM leased
    UNION ALL
    SELECT 'expired', endpoint_id, id, lease_expires_at FROM expired
    UNION ALL
    SELECT 'head', h.ep, NULL, h.due_at FROM (
      SELECT ep, ${headDueAt('$1')} AS due_at
      FROM eps WHERE ep IS NOT NULL
    ) h JOIN endpoints e ON e.id = h.ep AND NOT e.disabled
    WHERE h.due_at <= $1`,
};

/** What a leasing UPDATE of `deliveries d` returns (here, and a promotion that leases: ordering.ts). */
export const LEASED_COLUMNS = `d.id, d.app_id, d.msg_id, d.endpoint_id, d.status, d.attempt_count, d.next_attempt_at,
  d.last_attempt_at, d.trigger_type, d.created_at, d.updated_at`;

/**
 * After a CTE `leased` (LEASED_COLUMNS): each row with its message, and its endpoint on one row
 * per endpoint (toClaimed) — a leased one, where a promotion returns some that are only due.
 */
export const LEASED_ROWS = `SELECT l.id, l.app_id, l.msg_id, l.endpoint_id, l.status, l.attempt_count, l.next_attempt_at,
      l.last_attempt_at, l.trigger_type, l.created_at, l.updated_at,
      m.id AS m_id, m.event_type AS m_event_type, m.event_id AS m_event_id, m.channels AS m_channels, m.payload AS m_payload,
      m.created_at AS m_created_at, m.trace_context AS m_trace_context, to_json(e) AS endpoint
    FROM (SELECT leased.*, row_number() OVER (PARTITION BY leased.endpoint_id ORDER BY leased.status DESC) AS nth FROM leased) l
    LEFT JOIN messages m ON m.id = l.msg_id
    LEFT JOIN endpoints e ON e.id = l.endpoint_id AND l.nth = 1`;

/**
 * One planning round, leased in the statement that picks it: each planned endpoint's oldest due
 * rows by one ordered seek, skipping held rows, plus DUE's expired leases; `leased` updates them
 * once `picked` has locked all (the ARRAY() runs first). Earlier rounds' rows are sending by now.
 */
const LEASE: NamedStatement = {
  name: 'hookrelay_claim_lease',
  text: `WITH picked AS (
      SELECT r.id FROM unnest($1::text[], $2::integer[]) AS p(ep, n)
      CROSS JOIN LATERAL (
        SELECT id FROM deliveries
        WHERE status = ${DeliveryStatus.Pending} AND (endpoint_id, next_attempt_at) >= (p.ep, 0) AND (endpoint_id, next_attempt_at) <= (p.ep, $3)
        ORDER BY endpoint_id, next_attempt_at LIMIT p.n
        FOR NO KEY UPDATE SKIP LOCKED
      ) r
      UNION ALL
      SELECT unnest($4::text[])
    ), leased AS (
      UPDATE deliveries d SET status = ${DeliveryStatus.Sending}, lease_owner = $5, lease_expires_at = $6, updated_at = $3
      WHERE d.id = ANY (ARRAY(SELECT id FROM picked))
      RETURNING ${LEASED_COLUMNS}
    )
    ${LEASED_ROWS}`,
};

/** Choose and lease the rows, inside the claim transaction (which holds the claim lock). */
async function leaseDue(client: Queryable, req: ClaimRequest): Promise<LeasedRow[]> {
  const due = await client.query<DueRow>(bind(DUE, [req.now, req.limit]));
  const work = dueWorkOf(due.rows);

  const leased: LeasedRow[] = [];
  const rounds = claimRounds(work, req.limit, req.perEndpointLimit, req.settling);
  for (let round = rounds.next(); !round.done;) {
    const { plan, expired } = round.value;
    const { rows } = await client.query<LeasedRow>(
      bind(LEASE, [[...plan.keys()], [...plan.values()], req.now, expired, req.owner, req.now + req.leaseMs]),
    );
    const fromExpired = new Set(expired);
    const got = new Map<string, number>();
    for (const r of rows) {
      leased.push(r);
      if (!fromExpired.has(r.id)) got.set(r.endpoint_id, (got.get(r.endpoint_id) ?? 0) + 1);
    }
    round = rounds.next(got);
  }
  return leased;
}
