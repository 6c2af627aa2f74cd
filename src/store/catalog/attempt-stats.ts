import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { DeliveryStatus } from '../../domain/model.js';
import type { AppId } from '../../ids.js';
import { idRange } from '../id-range.js';
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
