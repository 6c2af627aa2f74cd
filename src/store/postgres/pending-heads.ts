import { DeliveryStatus } from '../../domain/model.js';
/**
 * `eps(ep)`, for `WITH RECURSIVE`: each endpoint with pending rows, one seek each (a loose index
 * scan over `deliveries_pending_endpoint`), so neither a claim nor the next due time walks a backlog.
 */
export const PENDING_ENDPOINTS = `eps(ep) AS (
      SELECT (SELECT endpoint_id FROM deliveries WHERE status = ${DeliveryStatus.Pending} ORDER BY endpoint_id LIMIT 1)
      UNION ALL
      SELECT (SELECT endpoint_id FROM deliveries WHERE status = ${DeliveryStatus.Pending} AND endpoint_id > eps.ep ORDER BY endpoint_id LIMIT 1)
      FROM eps WHERE eps.ep IS NOT NULL
    )`;

/**
 * Endpoint `eps.ep`'s oldest due time up to `bound`: its row-value bounds are a range of one index,
 * so even a generic plan makes one seek, and one endpoint's backlog never slows another's claim.
 */
export const headDueAt = (bound: string) => `(SELECT next_attempt_at FROM deliveries
      WHERE status = ${DeliveryStatus.Pending} AND (endpoint_id, next_attempt_at) >= (eps.ep, 0) AND (endpoint_id, next_attempt_at) <= (eps.ep, ${bound})
      ORDER BY endpoint_id, next_attempt_at LIMIT 1)`;

/** Whether a claim at `now` would find a due row or an expired lease of an enabled endpoint; needs PENDING_ENDPOINTS. */
export const anyDue = (now: string) => `(EXISTS (
      SELECT 1 FROM eps JOIN endpoints e ON e.id = eps.ep AND NOT e.disabled WHERE ${headDueAt(now)} IS NOT NULL
    ) OR EXISTS (
      SELECT 1 FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id AND NOT e.disabled
      WHERE d.status = ${DeliveryStatus.Sending} AND d.lease_expires_at <= ${now}
    ))`;
