/**
 * `eps(ep)`: each endpoint with pending rows, by a loose index scan over
 * `deliveries_pending_endpoint` (one seek per endpoint), so neither a claim nor the idle
 * loop's wake-up time walks a backlog. A recursive CTE: it goes after `WITH RECURSIVE`.
 */
export const PENDING_ENDPOINTS = `eps(ep) AS (
      SELECT (SELECT endpoint_id FROM deliveries WHERE status = 1 ORDER BY endpoint_id LIMIT 1)
      UNION ALL
      SELECT (SELECT endpoint_id FROM deliveries WHERE status = 1 AND endpoint_id > eps.ep ORDER BY endpoint_id LIMIT 1)
      FROM eps WHERE eps.ep IS NOT NULL
    )`;

/**
 * The oldest pending row's due time of endpoint `eps.ep` at most `bound`: one seek. The row-value
 * bounds are exactly a range of `deliveries_pending_endpoint`, so even a cached generic plan
 * reads that index and nothing else. (Written as `endpoint_id = ep AND next_attempt_at <= now`,
 * the generic plan of the claim's DUE once walked the since-dropped `deliveries_due` in time
 * order, stepping over every older row of other endpoints: a hanging endpoint's backlog tripled
 * the healthy endpoints' p99 in the isolation benchmark.)
 */
export const headDueAt = (bound: string) => `(SELECT next_attempt_at FROM deliveries
      WHERE status = 1 AND (endpoint_id, next_attempt_at) >= (eps.ep, 0) AND (endpoint_id, next_attempt_at) <= (eps.ep, ${bound})
      ORDER BY endpoint_id, next_attempt_at LIMIT 1)`;
