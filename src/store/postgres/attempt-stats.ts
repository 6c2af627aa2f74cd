import { DeliveryStatus } from '../../domain/model.js';
import { idRange } from '../id-range.js';
import type { AttemptCountQuery, AttemptCounts } from '../store.js';
import type { Db } from './db.js';
import type { AppId } from '../../ids.js';

/**
 * Attempt counts of one app over a time range. The range is also an ID range (id-range.ts), so
 * the read seeks `attempts_endpoint_id` (endpoint_id, id) for one endpoint, or the primary key
 * otherwise, and visits only the attempts of the range. The message's event type is read by a
 * scalar subquery, one primary-key lookup per attempt: as a join, the planner may merge with
 * `messages_pkey` read from its first row, which costs the whole message log.
 */
const EVENT_TYPE = '(SELECT m.event_type FROM messages m WHERE m.id = a.msg_id)';

function rangeQuery(appId: AppId, q: AttemptCountQuery) {
  const ids = idRange('attempt', q.since, q.until);
  const params: unknown[] = [ids.from, ids.below, q.since, q.until, appId];
  const where = ['a.id >= $1', 'a.id < $2', 'a.created_at >= $3', 'a.created_at < $4', 'a.app_id = $5'];
  if (q.endpointId !== undefined) {
    params.push(q.endpointId);
    where.push(`a.endpoint_id = $${params.length}`);
  }
  if (q.eventTypes !== undefined && q.eventTypes.length > 0) {
    params.push(q.eventTypes);
    where.push(`${EVENT_TYPE} = ANY($${params.length}::text[])`);
  }
  return { where: where.join(' AND '), params };
}

const COUNTS = `count(*) FILTER (WHERE a.status = ${DeliveryStatus.Success}) AS success, count(*) FILTER (WHERE a.status = ${DeliveryStatus.Fail}) AS failure`;

export async function attemptHistogram(
  db: Db,
  appId: AppId,
  q: AttemptCountQuery & { bucketMs: number },
): Promise<Array<AttemptCounts & { bucket: number }>> {
  const r = rangeQuery(appId, q);
  r.params.push(q.bucketMs);
  const { rows } = await db.query<AttemptCounts & { bucket: number }>(
    `SELECT ((a.created_at - $3) / $${r.params.length}::bigint) AS bucket, ${COUNTS} FROM attempts a WHERE ${r.where} GROUP BY 1 ORDER BY 1`,
    r.params,
  );
  return rows;
}

export async function attemptCountsByEventType(
  db: Db,
  appId: AppId,
  q: AttemptCountQuery,
): Promise<Array<AttemptCounts & { eventType: string }>> {
  const r = rangeQuery(appId, q);
  const { rows } = await db.query<AttemptCounts & { eventType: string }>(
    `SELECT ${EVENT_TYPE} AS "eventType", ${COUNTS} FROM attempts a WHERE ${r.where} GROUP BY 1 ORDER BY 1`,
    r.params,
  );
  return rows;
}
