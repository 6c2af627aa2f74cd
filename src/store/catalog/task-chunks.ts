import { sql, type Selectable } from 'kysely';
import { endpointWantsMessage } from '../../domain/endpoint-filter.js';
import { DeliveryStatus } from '../../domain/model.js';
import { newId } from '../../ids.js';
import { idRange } from '../id-range.js';
import type { TaskParams, TaskRange } from '../task-types.js';
import type { CatalogContext } from './catalog-context.js';
import type { BackgroundTasksTable } from './schema.js';
import { all, changed, first, type Steps } from './steps.js';

/**
 * One chunk of each kind of background task (task-types.ts says what each selects). A chunk
 * walks its rows in message-ID order after the task's cursor — the endpoint's deliveries by the
 * (endpoint_id, msg_id) index, or the app's messages by (app_id, id) — and reports what it did.
 */
export interface Chunk {
  /** Rows the chunk selected. */
  matched: number;
  /** Deliveries it made due. */
  sent: number;
  /** The last message ID it walked past (null: none). */
  cursor: string | null;
  /** It read as many rows as asked: more may follow. */
  full: boolean;
}

/** What a chunk reads of its task: the rows after `cursor` that `params` (decoded; every kind's are a range) select. */
export type TaskWalk = Pick<Selectable<BackgroundTasksTable>, 'app_id' | 'endpoint_id' | 'cursor'> & {
  params: TaskParams;
};

/** `apply` false: a dry run, which counts what the chunk would send and changes nothing. */
export type ChunkFn = (c: CatalogContext, task: TaskWalk, now: number, limit: number, apply: boolean) => Steps<Chunk>;

/** Due now with the schedule starting over; `manual` marks a replay (trigger type 1), as a resend is. */
export function* requeue(
  c: CatalogContext,
  ids: string[],
  from: DeliveryStatus,
  now: number,
  manual: boolean,
  apply: boolean,
): Steps<number> {
  if (ids.length === 0 || !apply) return ids.length;
  return yield* changed(
    c.qb
      .updateTable('deliveries')
      .set({
        status: sql.lit(DeliveryStatus.Pending),
        attempt_count: 0,
        next_attempt_at: now,
        updated_at: now,
        lease_owner: null,
        lease_expires_at: null,
        ...(manual ? { trigger_type: 1 as const } : {}),
      })
      .where(c.isIn('id', ids))
      .where('status', '=', sql.lit(from)),
  );
}

function endpointDeliveries(c: CatalogContext, task: TaskWalk, range: TaskRange, limit: number) {
  let q = c.qb
    .selectFrom('deliveries as d')
    .select(['d.id', 'd.msg_id'])
    .where('d.endpoint_id', '=', task.endpoint_id!)
    .where('d.app_id', '=', task.app_id)
    .where('d.created_at', '>=', range.since)
    .orderBy('d.msg_id')
    .limit(limit);
  if (range.until !== null) q = q.where('d.created_at', '<', range.until);
  if (task.cursor !== null) q = q.where('d.msg_id', '>', task.cursor);
  return q;
}

const chunkOf = (rows: Array<{ msg_id: string }>, sent: number, limit: number, cursor: string | null): Chunk => ({
  matched: rows.length,
  sent,
  cursor: rows.length > 0 ? rows[rows.length - 1].msg_id : cursor,
  full: rows.length === limit,
});

export const recoverChunk: ChunkFn = function* (c, task, now, limit, apply) {
  const range = task.params;
  const rows = yield* all(
    endpointDeliveries(c, task, range, limit).where('d.status', '=', sql.lit(DeliveryStatus.Fail)),
  );
  const ids = rows.map((r) => r.id);
  return chunkOf(rows, yield* requeue(c, ids, DeliveryStatus.Fail, now, false, apply), limit, task.cursor);
};

export const bulkReplayChunk: ChunkFn = function* (c, task, now, limit, apply) {
  const p = task.params;
  const status = (p.status ?? DeliveryStatus.Fail) as DeliveryStatus;
  let q = endpointDeliveries(c, task, p, limit).where('d.status', '=', sql.lit(status));
  if ((p.eventTypes && p.eventTypes.length > 0) || p.channel != null || p.tag != null) {
    q = q.innerJoin('messages as m', 'm.id', 'd.msg_id');
    if (p.eventTypes && p.eventTypes.length > 0) q = q.where(c.isIn('m.event_type', p.eventTypes));
    if (p.channel != null) q = q.where(c.listHas('m.channels', p.channel));
    if (p.tag != null) q = q.where(c.listHas('m.tags', p.tag));
  }
  if (p.statusCodeClass != null) {
    // The class of the delivery's latest attempt (0: no response), read by the (msg_id, id) index.
    const last = sql<number>`(SELECT a.response_status_code FROM attempts a
      WHERE a.msg_id = d.msg_id AND a.endpoint_id = d.endpoint_id ORDER BY a.id DESC LIMIT 1)`;
    q = q.where(last, '>=', p.statusCodeClass).where(last, '<', p.statusCodeClass + 100);
  }
  const rows = yield* all(q);
  return chunkOf(
    rows,
    yield* requeue(
      c,
      rows.map((r) => r.id),
      status,
      now,
      true,
      apply,
    ),
    limit,
    task.cursor,
  );
};

export const replayMissingChunk: ChunkFn = function* (c, task, now, limit, apply) {
  const range = task.params;
  // Locked FOR KEY SHARE as ingest locks it, so a concurrent delete cannot leave rows behind.
  const ep = yield* first(
    c.qb
      .selectFrom('endpoints')
      .select(['id', 'app_id', 'created_at', 'filter_types', 'channels'])
      .where('id', '=', task.endpoint_id!)
      .$if(c.rowLocks, (q) => q.forKeyShare()),
  );
  if (!ep) return { matched: 0, sent: 0, cursor: task.cursor, full: false };
  // A message from before the endpoint existed is not missing.
  const since = Math.max(range.since, ep.created_at);
  const ids = idRange('message', since, range.until ?? undefined);
  let q = c.qb
    .selectFrom('messages')
    .select(['id as msg_id', 'event_type', 'channels'])
    .where('app_id', '=', ep.app_id)
    .where('created_at', '>=', since)
    .orderBy('id')
    .limit(limit);
  if (range.until !== null) q = q.where('created_at', '<', range.until);
  if (ids.from !== null) q = q.where('id', '>=', ids.from);
  if (ids.below !== null) q = q.where('id', '<', ids.below);
  if (task.cursor !== null) q = q.where('id', '>', task.cursor);
  const rows = yield* all(q);
  const filter = {
    filterTypes: ep.filter_types === null ? null : c.values.readList(ep.filter_types),
    channels: ep.channels === null ? null : c.values.readList(ep.channels),
  };
  const wanted = rows.filter((m) =>
    endpointWantsMessage(filter, {
      eventType: m.event_type,
      channels: m.channels === null ? null : c.values.readList(m.channels),
    }),
  );
  let sent = 0;
  if (wanted.length > 0) {
    const had = yield* all(
      c.qb
        .selectFrom('deliveries')
        .select('msg_id')
        .where('endpoint_id', '=', ep.id)
        .where(
          c.isIn(
            'msg_id',
            wanted.map((m) => m.msg_id),
          ),
        ),
    );
    const seen = new Set(had.map((h) => h.msg_id));
    const missing = wanted.filter((m) => !seen.has(m.msg_id));
    if (!apply) sent = missing.length;
    else if (missing.length > 0)
      sent = yield* changed(
        c.qb
          .insertInto('deliveries')
          .values(
            missing.map((m) => ({
              id: newId('delivery', now),
              app_id: ep.app_id,
              msg_id: m.msg_id,
              endpoint_id: ep.id,
              status: DeliveryStatus.Pending,
              attempt_count: 0,
              next_attempt_at: now,
              trigger_type: 1 as const,
              created_at: now,
              updated_at: now,
            })),
          )
          .onConflict((oc) => oc.columns(['msg_id', 'endpoint_id']).doNothing()),
      );
  }
  return chunkOf(rows, sent, limit, task.cursor);
};
