import { idRange } from '../id-range.js';
import type { AttemptCountQuery, AttemptCounts } from '../store.js';
import type { Db } from './db.js';

/**
 * Attempt counts of one app over a time range. The range is also an ID range (id-range.ts), so
 * the read seeks `attempts_endpoint_id` (endpoint_id, id) for one endpoint, or the primary key
 * otherwise, and visits only the attempts of the range. Messages are joined only to filter by
 * event type or to group by it.
 */
function rangeQuery(appId: string, q: AttemptCountQuery, joinMessages: boolean) {
  const ids = idRange('attempt', q.since, q.until);
  const params: unknown[] = [ids.from, ids.below, q.since, q.until, appId];
  const where = ['a.id >= $1', 'a.id < $2', 'a.created_at >= $3', 'a.created_at < $4', 'a.app_id = $5'];
  if (q.endpointId !== undefined) {
    params.push(q.endpointId);
    where.push(`a.endpoint_id = $${params.length}`);
  }
  const byType = q.eventTypes !== undefined && q.eventTypes.length > 0;
  if (byType) {
    params.push(q.eventTypes);
    where.push(`m.event_type = ANY($${params.length}::text[])`);
  }
  const from = joinMessages || byType ? 'attempts a JOIN messages m ON m.id = a.msg_id' : 'attempts a';
  return { from, where: where.join(' AND '), params };
}

const COUNTS = 'count(*) FILTER (WHERE a.status = 0) AS success, count(*) FILTER (WHERE a.status = 2) AS failure';

export async function attemptHistogram(db: Db, appId: string, q: AttemptCountQuery & { bucketMs: number }): Promise<Array<AttemptCounts & { bucket: number }>> {
  const r = rangeQuery(appId, q, false);
  r.params.push(q.bucketMs);
  const { rows } = await db.query<AttemptCounts & { bucket: number }>(
    `SELECT ((a.created_at - $3) / $${r.params.length}::bigint) AS bucket, ${COUNTS} FROM ${r.from} WHERE ${r.where} GROUP BY 1 ORDER BY 1`,
    r.params,
  );
  return rows;
}

export async function attemptCountsByEventType(db: Db, appId: string, q: AttemptCountQuery): Promise<Array<AttemptCounts & { eventType: string }>> {
  const r = rangeQuery(appId, q, true);
  const { rows } = await db.query<AttemptCounts & { eventType: string }>(
    `SELECT m.event_type AS "eventType", ${COUNTS} FROM ${r.from} WHERE ${r.where} GROUP BY 1 ORDER BY 1`,
    r.params,
  );
  return rows;
}
