import { DeliveryStatus } from '../../domain/model.js';
/**
 * `eps(ep)`: each endpoint with pending rows, by a loose index scan over
 * `deliveries_pending_endpoint` (one seek per endpoint), so neither a claim nor the idle
 * loop's wake-up time walks a backlog. A recursive CTE: it goes after `WITH RECURSIVE`.
 */
export const PENDING_ENDPOINTS = `eps(ep) AS (
      SELECT (SELECT endpoint_id FROM deliveries WHERE status = ${DeliveryStatus.Pending} ORDER BY endpoint_id LIMIT 1)
      UNION ALL
      SELECT (SELECT endpoint_id FROM deliveries WHERE status = ${DeliveryStatus.Pending} AND endpoint_id > eps.ep ORDER BY endpoint_id LIMIT 1)
      FROM eps WHERE eps.ep IS NOT NULL
    )`;

/**
 * The oldest pending row's due time of endpoint `eps.ep` at most `bound`: one seek. The row-value
 * bounds are exactly a range of `deliveries_pending_endpoint`, so even a cached generic plan
 * reads that index and nothing else, and one endpoint's backlog never slows another's claim.
 */
export const headDueAt = (bound: string) => `(SELECT next_attempt_at FROM deliveries
      WHERE status = ${DeliveryStatus.Pending} AND (endpoint_id, next_attempt_at) >= (eps.ep, 0) AND (endpoint_id, next_attempt_at) <= (eps.ep, ${bound})
      ORDER BY endpoint_id, next_attempt_at LIMIT 1)`;

/**
 * Whether a claim at `now` would find anything: a due pending row or an expired lease, of an
 * enabled endpoint. Stops at the first (EXISTS), one seek per endpoint until then; needs
 * PENDING_ENDPOINTS in the statement's `WITH RECURSIVE`.
 */
export const anyDue = (now: string) => `(EXISTS (
      SELECT 1 FROM eps JOIN endpoints e ON e.id = eps.ep AND NOT e.disabled WHERE ${headDueAt(now)} IS NOT NULL
    ) OR EXISTS (
      SELECT 1 FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id AND NOT e.disabled
      WHERE d.status = ${DeliveryStatus.Sending} AND d.lease_expires_at <= ${now}
    ))`;
