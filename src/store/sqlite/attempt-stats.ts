import { DeliveryStatus } from '../../domain/model.js';
import { idRange } from '../id-range.js';
import type { AttemptCountQuery, AttemptCounts } from '../store.js';
import { json, type SqliteContext } from './sqlite-context.js';
import type { AppId } from '../../ids.js';

/**
 * Attempt counts of one app over a time range. The range is also an ID range (id-range.ts), so
 * the read seeks `attempts_endpoint` (endpoint_id, id) for one endpoint, or the primary key
 * otherwise, and visits only the attempts of the range. Messages are joined only to filter by
 * event type or to group by it.
 */
function rangeQuery(appId: AppId, q: AttemptCountQuery, joinMessages: boolean) {
  const ids = idRange('attempt', q.since, q.until);
  const where = [
    'a.id >= @from',
    'a.id < @below',
    'a.created_at >= @since',
    'a.created_at < @until',
    'a.app_id = @appId',
  ];
  const params: Record<string, unknown> = { from: ids.from, below: ids.below, since: q.since, until: q.until, appId };
  if (q.endpointId !== undefined) {
    where.push('a.endpoint_id = @endpointId');
    params.endpointId = q.endpointId;
  }
  const byType = q.eventTypes !== undefined && q.eventTypes.length > 0;
  if (byType) {
    where.push('m.event_type IN (SELECT value FROM json_each(@eventTypes))');
    params.eventTypes = json(q.eventTypes);
  }
  const from = joinMessages || byType ? 'attempts a JOIN messages m ON m.id = a.msg_id' : 'attempts a';
  return { from, where: where.join(' AND '), params };
}

const COUNTS = `COALESCE(SUM(a.status = ${DeliveryStatus.Success}), 0) AS success, COALESCE(SUM(a.status = ${DeliveryStatus.Fail}), 0) AS failure`;

export function attemptHistogram(
  ctx: SqliteContext,
  appId: AppId,
  q: AttemptCountQuery & { bucketMs: number },
): Array<AttemptCounts & { bucket: number }> {
  const r = rangeQuery(appId, q, false);
  return ctx
    .stmt(
      `SELECT (a.created_at - CAST(@since AS INTEGER)) / CAST(@bucketMs AS INTEGER) AS bucket, ${COUNTS} FROM ${r.from} WHERE ${r.where} GROUP BY bucket ORDER BY bucket`,
    )
    .all({ ...r.params, bucketMs: q.bucketMs }) as Array<AttemptCounts & { bucket: number }>;
}

export function attemptCountsByEventType(
  ctx: SqliteContext,
  appId: AppId,
  q: AttemptCountQuery,
): Array<AttemptCounts & { eventType: string }> {
  const r = rangeQuery(appId, q, true);
  return ctx
    .stmt(
      `SELECT m.event_type AS eventType, ${COUNTS} FROM ${r.from} WHERE ${r.where} GROUP BY m.event_type ORDER BY m.event_type`,
    )
    .all(r.params) as Array<AttemptCounts & { eventType: string }>;
}
