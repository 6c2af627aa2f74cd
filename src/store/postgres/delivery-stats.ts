import { DeliveryStatus } from '../../domain/model.js';
import { idRange } from '../id-range.js';
import type { DeliveryMinute, TimeRange } from '../store.js';
import type { Db } from './db.js';

/**
 * Every app's deliveries over a time range, for the operator's overview. Both reads seek the
 * attempts' primary key by the range's IDs (id-range.ts): their cost follows the attempts made
 * in the range, whatever the size of the table.
 */

const RANGE = 'a.id >= $1 AND a.id < $2 AND a.created_at >= $3 AND a.created_at < $4';

function rangeParams(range: TimeRange): unknown[] {
  const ids = idRange('attempt', range.since, range.until);
  return [ids.from, ids.below, range.since, range.until];
}

/** A failed attempt is final when its delivery is failed and was last attempted by it; only failed attempts look it up. */
export async function deliveryMinutes(db: Db, range: TimeRange): Promise<DeliveryMinute[]> {
  const { rows } = await db.query<{ minute: number; succeeded: number; failed: number; failedAny: number }>(
    `SELECT (a.created_at / 60000) * 60000 AS minute,
       count(*) FILTER (WHERE a.status = ${DeliveryStatus.Success}) AS succeeded,
       count(*) FILTER (WHERE a.status = ${DeliveryStatus.Fail} AND EXISTS (
         SELECT 1 FROM deliveries d WHERE d.id = a.delivery_id AND d.status = ${DeliveryStatus.Fail} AND d.last_attempt_at = a.created_at)) AS failed,
       count(*) FILTER (WHERE a.status = ${DeliveryStatus.Fail}) AS "failedAny"
     FROM attempts a WHERE ${RANGE} GROUP BY 1 ORDER BY 1`,
    rangeParams(range),
  );
  return rows.map((r) => ({
    minute: r.minute,
    succeeded: r.succeeded,
    failed: r.failed,
    retrying: r.failedAny - r.failed,
  }));
}

/**
 * First scheduled attempts in the range (the least attempt ID of their message and endpoint),
 * minus when their message was due; nearest-rank percentiles (percentile_disc). Both lookups
 * are scalar subqueries, one index seek per attempt (`attempts_msg_id`, `messages_pkey`): as a
 * NOT EXISTS or a join, the planner may hash the whole attempts or messages table instead.
 */
export async function deliveryLatency(
  db: Db,
  range: TimeRange,
): Promise<{ count: number; p50: number | null; p99: number | null }> {
  const { rows } = await db.query<{ count: number; p50: string | number | null; p99: string | number | null }>(
    `SELECT count(*) AS count, percentile_disc(0.5) WITHIN GROUP (ORDER BY latency) AS p50,
       percentile_disc(0.99) WITHIN GROUP (ORDER BY latency) AS p99
     FROM (
       SELECT GREATEST(a.created_at - (SELECT m.deliver_at FROM messages m WHERE m.id = a.msg_id), 0) AS latency
       FROM attempts a
       WHERE ${RANGE} AND a.trigger_type = 0
         AND a.id = (SELECT min(b.id) FROM attempts b WHERE b.msg_id = a.msg_id AND b.endpoint_id = a.endpoint_id)
       OFFSET 0 -- not flattened: each latency is computed once, not once per percentile
     ) first_attempts`,
    rangeParams(range),
  );
  const r = rows[0];
  const n = (v: string | number | null) => (v === null ? null : Number(v));
  return { count: r.count, p50: n(r.p50), p99: n(r.p99) };
}
