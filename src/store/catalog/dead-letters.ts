import { sql } from 'kysely';
import { reasonClassOf, reasonsOfClass, FAILURE_REASONS, type FailureReason } from '../../domain/failure-reason.js';
import { DeliveryStatus } from '../../domain/model.js';
import type { Page, PageQuery } from '../store.js';
import type { BlockedHead, DeadLetter, DeadLetterCounts, DeadLetterSelection } from '../task-types.js';
import { liveHead } from './order-heads.js';
import type { CatalogContext } from './catalog-context.js';
import { paginate } from './paginate.js';
import { all, type Steps } from './steps.js';
import { requeue, type ChunkFn } from './task-chunks.js';
import type { AppId, EndpointId } from '../../ids.js';

/**
 * Dead letters: deliveries that failed for good (status 2 — retries used up, or given up at once),
 * each with the reason of its last attempt (`dead_reason`), read across apps by the
 * `deliveries_dead` partial index. Counted per endpoint by reason class, with the deliveries a
 * disabled endpoint holds (pending, sent once it is enabled again). Resent by a task.
 */

const FAILED = sql.lit(DeliveryStatus.Fail);

/** The failed deliveries a selection names (event type by the message; time by when they failed). */
function selected(c: CatalogContext, s: Partial<DeadLetterSelection>) {
  let q = c.qb.selectFrom('deliveries as d').where('d.status', '=', FAILED);
  if (s.appId != null) q = q.where('d.app_id', '=', s.appId);
  if (s.endpointId != null) q = q.where('d.endpoint_id', '=', s.endpointId);
  if (s.reasonClass != null) q = q.where(c.isIn('d.dead_reason', reasonsOfClass(s.reasonClass)));
  if (s.since != null) q = q.where('d.updated_at', '>=', s.since);
  if (s.until != null) q = q.where('d.updated_at', '<', s.until);
  if (s.eventType != null)
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('messages as m')
          .select('m.id')
          .whereRef('m.id', '=', 'd.msg_id')
          .where('m.event_type', '=', s.eventType!),
      ),
    );
  return q;
}

const reasonOf = (stored: string | null): FailureReason | null =>
  stored !== null && stored in FAILURE_REASONS ? (stored as FailureReason) : null;

export function listDeadLetters(
  c: CatalogContext,
  page: PageQuery,
  s: Partial<DeadLetterSelection>,
): Steps<Page<DeadLetter>> {
  const lastAttempt = (column: 'id' | 'response_status_code') =>
    sql<string | number | null>`(SELECT a.${sql.ref(column)} FROM attempts a
      WHERE a.msg_id = d.msg_id AND a.endpoint_id = d.endpoint_id ORDER BY a.id DESC LIMIT 1)`;
  const q = selected(c, s)
    .innerJoin('messages as m', 'm.id', 'd.msg_id')
    .select([
      'd.id',
      'd.app_id',
      'd.endpoint_id',
      'd.msg_id',
      'm.event_type',
      'd.dead_reason',
      'd.attempt_count',
      'd.updated_at',
      lastAttempt('id').as('last_attempt_id'),
      lastAttempt('response_status_code').as('last_status_code'),
    ]);
  return paginate(q, page, {
    key: 'd.id',
    keyOf: (r) => r.id,
    map: (r): DeadLetter => {
      const reason = reasonOf(r.dead_reason);
      return {
        deliveryId: r.id,
        appId: r.app_id,
        endpointId: r.endpoint_id,
        msgId: r.msg_id,
        eventType: r.event_type,
        reason,
        reasonClass: reason && reasonClassOf(reason),
        attempts: r.attempt_count,
        failedAt: r.updated_at,
        lastAttemptId: r.last_attempt_id === null ? null : String(r.last_attempt_id),
        lastStatusCode: r.last_status_code === null ? null : Number(r.last_status_code),
      };
    },
  });
}

/** Per endpoint with any: dead letters by reason class, and what a disabled endpoint holds; most first. */
export function* countDeadLetters(c: CatalogContext, s: Partial<DeadLetterSelection>): Steps<DeadLetterCounts[]> {
  const dead = yield* all(
    selected(c, s)
      .select(['d.app_id', 'd.endpoint_id', 'd.dead_reason', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['d.app_id', 'd.endpoint_id', 'd.dead_reason']),
  );
  let heldQ = c.qb
    .selectFrom('endpoints as e')
    .innerJoin('deliveries as d', 'd.endpoint_id', 'e.id')
    .select(['e.app_id', 'e.id as endpoint_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('e.disabled', '=', c.values.bool(true))
    .where('d.status', '=', sql.lit(DeliveryStatus.Pending))
    .groupBy(['e.app_id', 'e.id']);
  if (s.appId != null) heldQ = heldQ.where('e.app_id', '=', s.appId);
  if (s.endpointId != null) heldQ = heldQ.where('e.id', '=', s.endpointId);
  const held = s.reasonClass === 'platform' ? [] : yield* all(heldQ);

  const byEndpoint = new Map<string, DeadLetterCounts>();
  const entry = (appId: string, endpointId: string) => {
    let e = byEndpoint.get(endpointId);
    if (!e)
      byEndpoint.set(
        endpointId,
        (e = {
          appId: appId as AppId,
          endpointId: endpointId as EndpointId,
          endpoint: 0,
          platform: 0,
          unclassified: 0,
          held: 0,
        }),
      );
    return e;
  };
  for (const r of dead) {
    const reason = reasonOf(r.dead_reason);
    entry(r.app_id, r.endpoint_id)[reason ? reasonClassOf(reason) : 'unclassified'] += Number(r.n);
  }
  for (const r of held) entry(r.app_id, r.endpoint_id).held += Number(r.n);
  const total = (e: DeadLetterCounts) => e.endpoint + e.platform + e.unclassified + e.held;
  return [...byEndpoint.values()].sort((a, b) => total(b) - total(a) || (a.endpointId < b.endpointId ? -1 : 1));
}

/** One chunk of a `dead-letter.resend` task: the selection's dead letters after the cursor, by delivery ID. */
export const resendDeadLettersChunk: ChunkFn = function* (c, task, now, limit, apply) {
  let q = selected(c, task.params).select('d.id').orderBy('d.id').limit(limit);
  if (task.cursor !== null) q = q.where('d.id', '>', task.cursor);
  const rows = yield* all(q);
  const ids = rows.map((r) => r.id);
  return {
    matched: rows.length,
    sent: yield* requeue(c, ids, DeliveryStatus.Fail, now, true, apply),
    cursor: rows.length > 0 ? ids[ids.length - 1] : task.cursor,
    full: rows.length === limit,
  };
};

/**
 * Heads of ordered endpoints' keys that have been failing since `before` or earlier: retrying
 * (attempted, due again) or failed for good — each holds its key's later messages. Read over
 * the live heads (`deliveries_order_live`), oldest first; when they first failed is their first attempt.
 */
export function* blockedOrderHeads(
  c: CatalogContext,
  before: number,
  limit: number,
  endpointId: EndpointId | null = null,
): Steps<BlockedHead[]> {
  const firstAttempt = sql<number>`(SELECT min(a.created_at) FROM attempts a
    WHERE a.msg_id = d.msg_id AND a.endpoint_id = d.endpoint_id)`;
  const rows = yield* all(
    c.qb
      .selectFrom('deliveries as d')
      .select(['d.id', 'd.app_id', 'd.endpoint_id', 'd.msg_id', 'd.order_key', 'd.status', 'd.attempt_count'])
      .select(firstAttempt.as('since'))
      .where(liveHead('d'))
      .where((eb) => eb.or([eb('d.status', '=', FAILED), eb('d.attempt_count', '>', 0)]))
      .where('d.status', '<>', sql.lit(DeliveryStatus.Sending))
      .where(firstAttempt, '<=', before)
      .$if(endpointId !== null, (q) => q.where('d.endpoint_id', '=', endpointId!))
      .orderBy('since')
      .limit(limit),
  );
  return rows.map((r) => ({
    deliveryId: r.id,
    appId: r.app_id,
    endpointId: r.endpoint_id,
    msgId: r.msg_id,
    key: r.order_key!,
    failed: r.status === DeliveryStatus.Fail,
    attempts: r.attempt_count,
    since: Number(r.since),
  }));
}
