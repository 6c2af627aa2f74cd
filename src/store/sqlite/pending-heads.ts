import { DeliveryStatus } from '../../domain/model.js';
/**
 * Each enabled endpoint with pending rows, and its earliest due time: a loose index scan over
 * `deliveries_pending_endpoint` (one seek per endpoint to find the next endpoint, one for its
 * oldest row), so neither a claim nor the idle loop's wake-up time ever walks a backlog: a
 * million rows queued for one endpoint cost two seeks. Columns: endpoint_id, due_at.
 */
export const PENDING_HEADS = `WITH RECURSIVE eps(ep) AS (
    SELECT (SELECT endpoint_id FROM deliveries WHERE status = ${DeliveryStatus.Pending} ORDER BY endpoint_id LIMIT 1)
    UNION ALL
    SELECT (SELECT endpoint_id FROM deliveries WHERE status = ${DeliveryStatus.Pending} AND endpoint_id > eps.ep ORDER BY endpoint_id LIMIT 1)
    FROM eps WHERE eps.ep IS NOT NULL
  ),
  heads(endpoint_id, due_at) AS (
    SELECT h.ep, h.due_at FROM (
      SELECT ep, (SELECT MIN(next_attempt_at) FROM deliveries WHERE status = ${DeliveryStatus.Pending} AND endpoint_id = eps.ep) AS due_at
      FROM eps WHERE ep IS NOT NULL
    ) h JOIN endpoints e ON e.id = h.ep AND e.disabled = 0
  )`;
