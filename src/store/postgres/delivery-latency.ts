import { idRange } from '../id-range.js';
import type { TimeRange } from '../store.js';
import type { Db } from './db.js';

const RANGE = 'a.id >= $1 AND a.id < $2 AND a.created_at >= $3 AND a.created_at < $4';

/**
 * How long after its message was due each first scheduled attempt in the range came, as
 * nearest-rank percentiles. Both lookups are scalar subqueries, one index seek per attempt,
 * because as a NOT EXISTS or a join the planner may hash a whole table instead.
 */
export async function deliveryLatency(
  db: Db,
  range: TimeRange,
): Promise<{ count: number; p50: number | null; p99: number | null }> {
  const ids = idRange('attempt', range.since, range.until);
  const { rows } = await db.query<{ count: number; p50: number | null; p99: number | null }>(
    `SELECT count(*) AS count, percentile_disc(0.5) WITHIN GROUP (ORDER BY latency) AS p50,
       percentile_disc(0.99) WITHIN GROUP (ORDER BY latency) AS p99
     FROM (
       SELECT GREATEST(a.created_at - (SELECT m.deliver_at FROM messages m WHERE m.id = a.msg_id), 0) AS latency
       FROM attempts a
       WHERE ${RANGE} AND a.trigger_type = 0
         AND a.id = (SELECT min(b.id) FROM attempts b WHERE b.msg_id = a.msg_id AND b.endpoint_id = a.endpoint_id)
       OFFSET 0 -- not flattened: each latency is computed once, not once per percentile
     ) first_attempts`,
    [ids.from, ids.below, range.since, range.until],
  );
  return rows[0];
}
