import type { Migration } from './index.js';

/**
 * `hookrelay_ingest_room` (0004-ingest-room.ts), the same answer read by index seeks only:
 * ingest runs on cached generic plans (outbox-write.ts), and so do the queries of a PL/pgSQL
 * function it calls. Cached while the tables were empty, 0004's generic plan scanned
 * `endpoints` whole for `id = ANY (endpoint_ids)` and read every pending row of `deliveries`
 * for its NOT EXISTS; at a backlog of a million rows that is a million rows per ingest. Here:
 * - each endpoint is one primary-key seek (a LATERAL subquery with OFFSET 0, which the
 *   planner cannot flatten into a join that could scan);
 * - "a pending row due by `at`" is the oldest such row of the endpoint, one seek of
 *   `deliveries_pending_endpoint` by its row-value bounds (as pending-endpoints.ts reads it);
 * - the lease counts still come from the small partial index `deliveries_leased`.
 * postgres-generic-plans.test.ts checks the plans on an empty database. The function is
 * restated whole, its lease count as 0004 had it: a shipped migration's text is never edited.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'ingest-room-by-seek',
  sql: `
CREATE OR REPLACE FUNCTION hookrelay_ingest_room(endpoint_ids text[], at bigint, cap integer)
RETURNS TABLE (ep text, room integer)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RETURN QUERY
    WITH leases AS (
      SELECT d.endpoint_id, count(*) AS n FROM deliveries d WHERE d.status = 3 AND d.lease_expires_at > at GROUP BY d.endpoint_id
    )
    SELECT e.id::text, cap - COALESCE((SELECT l.n FROM leases l WHERE l.endpoint_id = e.id), 0)::integer
    FROM unnest(endpoint_ids) AS k(id)
    CROSS JOIN LATERAL (SELECT x.id FROM endpoints x WHERE x.id = k.id AND NOT x.disabled OFFSET 0) e
    WHERE (SELECT d.next_attempt_at FROM deliveries d
           WHERE d.status = 1 AND (d.endpoint_id, d.next_attempt_at) >= (e.id, 0) AND (d.endpoint_id, d.next_attempt_at) <= (e.id, at)
           ORDER BY d.endpoint_id, d.next_attempt_at LIMIT 1) IS NULL;
END
$$;
`,
};
