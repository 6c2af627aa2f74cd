import { DeliveryStatus } from '../../domain/model.js';
import { idRange } from '../id-range.js';
import { nearestRank } from '../nearest-rank.js';
import type { DeliveryMinute, TimeRange } from '../store.js';
import type { SqliteContext } from './sqlite-context.js';

/**
 * Every app's deliveries over a time range, for the operator's overview. Both reads seek the
 * attempts' primary key by the range's IDs (id-range.ts): their cost follows the attempts made
 * in the range, whatever the size of the table.
 */

const RANGE = 'a.id >= @from AND a.id < @below AND a.created_at >= @since AND a.created_at < @until';

function rangeParams(range: TimeRange) {
  const ids = idRange('attempt', range.since, range.until);
  return { from: ids.from, below: ids.below, since: range.since, until: range.until };
}

/** A failed attempt is final when its delivery is failed and was last attempted by it; only failed attempts look it up. */
export function deliveryMinutes(ctx: SqliteContext, range: TimeRange): DeliveryMinute[] {
  const rows = ctx
    .stmt(
      `SELECT (a.created_at / 60000) * 60000 AS minute,
       SUM(a.status = ${DeliveryStatus.Success}) AS succeeded,
       SUM(CASE WHEN a.status = ${DeliveryStatus.Fail} AND EXISTS (
         SELECT 1 FROM deliveries d WHERE d.id = a.delivery_id AND d.status = ${DeliveryStatus.Fail} AND d.last_attempt_at = a.created_at) THEN 1 ELSE 0 END) AS failed,
       SUM(a.status = ${DeliveryStatus.Fail}) AS failedAny
     FROM attempts a WHERE ${RANGE} GROUP BY minute ORDER BY minute`,
    )
    .all(rangeParams(range)) as Array<{ minute: number; succeeded: number; failed: number; failedAny: number }>;
  return rows.map((r) => ({
    minute: r.minute,
    succeeded: r.succeeded,
    failed: r.failed,
    retrying: r.failedAny - r.failed,
  }));
}

/**
 * First scheduled attempts in the range (no earlier attempt of the same message and endpoint),
 * minus when their message was due. Grouped by value in SQL, so only the distinct latencies
 * cross to JavaScript. The earlier attempt is looked for among the message's attempts
 * (`attempts_msg`, a handful): left to choose, the planner may walk the endpoint's whole
 * history in `attempts_endpoint` for every first attempt, which finds none.
 */
export function deliveryLatency(
  ctx: SqliteContext,
  range: TimeRange,
): { count: number; p50: number | null; p99: number | null } {
  const rows = ctx
    .stmt(
      `SELECT MAX(a.created_at - m.deliver_at, 0) AS value, COUNT(*) AS count
     FROM attempts a JOIN messages m ON m.id = a.msg_id
     WHERE ${RANGE} AND a.trigger_type = 0
       AND NOT EXISTS (SELECT 1 FROM attempts b INDEXED BY attempts_msg WHERE b.msg_id = a.msg_id AND b.id < a.id AND b.endpoint_id = a.endpoint_id)
     GROUP BY value`,
    )
    .all(rangeParams(range)) as Array<{ value: number; count: number }>;
  return { count: rows.reduce((n, r) => n + r.count, 0), p50: nearestRank(rows, 0.5), p99: nearestRank(rows, 0.99) };
}
