import { idRange } from '../id-range.js';
import { nearestRank } from '../nearest-rank.js';
import type { TimeRange } from '../store.js';
import type { SqliteContext } from './sqlite-context.js';

const RANGE = 'a.id >= @from AND a.id < @below AND a.created_at >= @since AND a.created_at < @until';

/**
 * First scheduled attempts in the range minus when their message was due, grouped by value so only
 * distinct latencies cross to JavaScript. An earlier attempt is sought among the message's few
 * (`attempts_msg`): left to choose, the planner may walk the endpoint's whole history for each.
 */
export function deliveryLatency(
  ctx: SqliteContext,
  range: TimeRange,
): { count: number; p50: number | null; p99: number | null } {
  const ids = idRange('attempt', range.since, range.until);
  const rows = ctx
    .stmt(
      `SELECT MAX(a.created_at - m.deliver_at, 0) AS value, COUNT(*) AS count
     FROM attempts a JOIN messages m ON m.id = a.msg_id
     WHERE ${RANGE} AND a.trigger_type = 0
       AND NOT EXISTS (SELECT 1 FROM attempts b INDEXED BY attempts_msg WHERE b.msg_id = a.msg_id AND b.id < a.id AND b.endpoint_id = a.endpoint_id)
     GROUP BY value`,
    )
    .all({ from: ids.from, below: ids.below, since: range.since, until: range.until }) as Array<{
    value: number;
    count: number;
  }>;
  return { count: rows.reduce((n, r) => n + r.count, 0), p50: nearestRank(rows, 0.5), p99: nearestRank(rows, 0.99) };
}
