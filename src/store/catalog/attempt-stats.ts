import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { DeliveryStatus } from '../../domain/model.js';
import type { AppId } from '../../ids.js';
import { idRange } from '../id-range.js';
import { nearestRank } from '../nearest-rank.js';
import type { AttemptCountQuery, AttemptCounts, DeliveryMinute, TimeRange } from '../store.js';
import type { CatalogContext } from './catalog-context.js';
import { all, raw, type Steps } from './steps.js';

/**
 * Attempt counts over a time range, for the app's and the operator's charts. The range is also an
 * ID range (id-range.ts), so each read seeks the attempts' primary key (or `(endpoint_id, id)` for
 * one endpoint) and visits only the attempts of the range, whatever the size of the table. A
 * message's event type is a scalar subquery, one primary-key lookup per attempt: as a join,
 * PostgreSQL's planner may merge with the messages' primary key read from its first row, which
 * costs the whole message log.
 */

const SUCCESS = sql.lit(DeliveryStatus.Success);
const FAIL = sql.lit(DeliveryStatus.Fail);
const COUNTS = sql`count(*) FILTER (WHERE a.status = ${SUCCESS}) AS success, count(*) FILTER (WHERE a.status = ${FAIL}) AS failure`;
const EVENT_TYPE = sql<string>`(SELECT m.event_type FROM messages m WHERE m.id = a.msg_id)`;

function inRange(range: TimeRange): RawBuilder<SqlBool> {
  const ids = idRange('attempt', range.since, range.until);
  return sql`a.id >= ${ids.from} AND a.id < ${ids.below} AND a.created_at >= ${range.since} AND a.created_at < ${range.until}`;
}

function ofApp(c: CatalogContext, appId: AppId, q: AttemptCountQuery): RawBuilder<SqlBool> {
  const where = [inRange(q), sql`a.app_id = ${appId}`];
  if (q.endpointId !== undefined) where.push(sql`a.endpoint_id = ${q.endpointId}`);
  if (q.eventTypes !== undefined && q.eventTypes.length > 0) where.push(sql`${c.isIn(EVENT_TYPE, q.eventTypes)}`);
  return sql.join(where, sql` AND `);
}

/** Counts per bucket of `bucketMs` from `since` (bucket 0 starts at `since`). */
export function attemptHistogram(
  c: CatalogContext,
  appId: AppId,
  q: AttemptCountQuery & { bucketMs: number },
): Steps<Array<AttemptCounts & { bucket: number }>> {
  return all(
    raw(
      c.qb,
      sql<
        AttemptCounts & { bucket: number }
      >`SELECT (a.created_at - CAST(${q.since} AS BIGINT)) / CAST(${q.bucketMs} AS BIGINT) AS bucket, ${COUNTS}
        FROM attempts a WHERE ${ofApp(c, appId, q)} GROUP BY 1 ORDER BY 1`,
    ),
  );
}

export function attemptCountsByEventType(
  c: CatalogContext,
  appId: AppId,
  q: AttemptCountQuery,
): Steps<Array<AttemptCounts & { eventType: string }>> {
  return all(
    raw(
      c.qb,
      sql<AttemptCounts & { eventType: string }>`SELECT ${EVENT_TYPE} AS "eventType", ${COUNTS}
        FROM attempts a WHERE ${ofApp(c, appId, q)} GROUP BY 1 ORDER BY 1`,
    ),
  );
}

/**
 * Every app's attempts per minute. A failed attempt is final when its delivery is failed and was
 * last attempted by it (only failed attempts look that up); the other failures are retries.
 */
export function* deliveryMinutes(c: CatalogContext, range: TimeRange): Steps<DeliveryMinute[]> {
  const rows = yield* all(
    raw(
      c.qb,
      sql<{
        minute: number;
        succeeded: number;
        failed: number;
        failedAny: number;
      }>`SELECT (a.created_at / 60000) * 60000 AS minute,
       count(*) FILTER (WHERE a.status = ${SUCCESS}) AS succeeded,
       count(*) FILTER (WHERE a.status = ${FAIL} AND EXISTS (
         SELECT 1 FROM deliveries d WHERE d.id = a.delivery_id AND d.status = ${FAIL} AND d.last_attempt_at = a.created_at)) AS failed,
       count(*) FILTER (WHERE a.status = ${FAIL}) AS "failedAny"
     FROM attempts a WHERE ${inRange(range)} GROUP BY 1 ORDER BY 1`,
    ),
  );
  return rows.map((r) => ({
    minute: r.minute,
    succeeded: r.succeeded,
    failed: r.failed,
    retrying: r.failedAny - r.failed,
  }));
}

/**
 * How long after its message was due each first scheduled attempt in the range came, as
 * nearest-rank percentiles; values are grouped in SQL, so only distinct latencies are read. Both
 * lookups are scalar subqueries, one index seek per attempt: as a join or a NOT EXISTS, PostgreSQL
 * may hash a whole table instead. The endpoint is compared as an expression so that neither
 * planner seeks by it, which would walk the endpoint's whole history rather than the message's
 * few attempts. The LIMIT, which no range reaches, keeps both planners from flattening the
 * subquery, so each latency is computed once.
 */
export function* deliveryLatency(
  c: CatalogContext,
  range: TimeRange,
): Steps<{ count: number; p50: number | null; p99: number | null }> {
  const rows = yield* all(
    raw(
      c.qb,
      sql<{ value: number | null; count: number }>`SELECT l.latency AS value, count(*) AS count
     FROM (
       SELECT a.created_at - (SELECT m.deliver_at FROM messages m WHERE m.id = a.msg_id) AS latency
       FROM attempts a
       WHERE ${inRange(range)} AND a.trigger_type = 0
         AND a.id = (SELECT min(b.id) FROM attempts b WHERE b.msg_id = a.msg_id AND b.endpoint_id || '' = a.endpoint_id)
       LIMIT 1000000000000
     ) l
     GROUP BY 1`,
    ),
  );
  // A message deleted since has no due time; an attempt made before its message was due counts as 0.
  const latencies = rows.flatMap((r) => (r.value === null ? [] : [{ value: Math.max(r.value, 0), count: r.count }]));
  return {
    count: latencies.reduce((n, r) => n + r.count, 0),
    p50: nearestRank(latencies, 0.5),
    p99: nearestRank(latencies, 0.99),
  };
}
