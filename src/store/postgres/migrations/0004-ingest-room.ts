import type { Migration } from './index.js';

/**
 * `hookrelay_ingest_room(endpoint_ids, at, cap)`: for each enabled endpoint of `endpoint_ids`
 * with no pending row due by `at`, how many more rows it may have leased (`cap` minus its
 * unexpired leases). Ingest's claim (src/store/postgres/ingest-claim.ts) reads it once it holds
 * the claim lock. A function, VOLATILE, because each query in it reads from a snapshot of its
 * own, taken when it runs: read in the ingest statement itself, the counts came from the
 * statement's snapshot, taken before the lock, and so missed the leases of a claim that had
 * committed and released the lock meanwhile (the ingest then leased past the cap). PL/pgSQL, so
 * it is never inlined into the calling statement.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'ingest-room',
  sql: `
CREATE FUNCTION hookrelay_ingest_room(endpoint_ids text[], at bigint, cap integer)
RETURNS TABLE (ep text, room integer)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RETURN QUERY
    WITH leases AS (
      SELECT d.endpoint_id, count(*) AS n FROM deliveries d WHERE d.status = 3 AND d.lease_expires_at > at GROUP BY d.endpoint_id
    )
    SELECT e.id::text, cap - COALESCE((SELECT l.n FROM leases l WHERE l.endpoint_id = e.id), 0)::integer
    FROM endpoints e
    WHERE e.id = ANY (endpoint_ids) AND NOT e.disabled
      AND NOT EXISTS (
        SELECT 1 FROM deliveries d
        WHERE d.status = 1 AND (d.endpoint_id, d.next_attempt_at) >= (e.id, 0) AND (d.endpoint_id, d.next_attempt_at) <= (e.id, at));
END
$$;
`,
};
