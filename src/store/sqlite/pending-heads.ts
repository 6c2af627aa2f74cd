import { DeliveryStatus } from '../../domain/model.js';
/**
 * `heads(endpoint_id, due_at)`: each enabled endpoint with pending rows and its earliest due time, two
 * seeks each (a loose index scan), so neither a claim nor the next due time walks a backlog.
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
