import { sql, type Selectable } from 'kysely';
import type { Page, PageQuery } from '../store.js';
import { DeliveryStatus } from '../../domain/model.js';
import type {
  BackgroundTask,
  BackgroundTaskFilter,
  BackgroundTaskProgress,
  CancelOutcome,
  NewBackgroundTask,
  TaskAdvance,
  TaskParams,
  TaskQuery,
} from '../task-types.js';
import type { CatalogContext } from './catalog-context.js';
import { paginate } from './paginate.js';
import type { BackgroundTasksTable } from './schema.js';
import { raw, all, first, type Steps } from './steps.js';
import { resendDeadLettersChunk } from './dead-letters.js';
import { bulkReplayChunk, recoverChunk, replayMissingChunk, type ChunkFn, type TaskWalk } from './task-chunks.js';

/**
 * Background tasks: rows any worker may lease and advance chunk by chunk. A chunk's effects, the
 * task's cursor and its progress commit in one transaction, so after a crash the task resumes at
 * its cursor and never re-queues a row twice. `running` is an SQL literal: the partial index of
 * running tasks names that constant.
 */
const RUNNING = sql.lit<'running'>('running');

function toTask(c: CatalogContext, r: Selectable<BackgroundTasksTable>): BackgroundTask {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    appId: r.app_id,
    endpointId: r.endpoint_id,
    params: c.values.readJson<Record<string, unknown>>(r.params),
    data: c.values.readJson<BackgroundTaskProgress>(r.data),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function* createBackgroundTask(c: CatalogContext, t: NewBackgroundTask): Steps<BackgroundTask> {
  const row = yield* first(
    c.qb
      .insertInto('background_tasks')
      .values({
        id: t.id,
        kind: t.kind,
        status: 'running',
        app_id: t.appId,
        endpoint_id: t.endpointId,
        params: c.values.json(t.params),
        data: c.values.json({ matched: 0, sent: 0, skipped: 0 } satisfies BackgroundTaskProgress),
        cursor: null,
        lease_owner: null,
        lease_expires_at: null,
        created_at: t.now,
        updated_at: t.now,
      })
      .returningAll(),
  );
  return toTask(c, row!);
}

export function* getBackgroundTask(c: CatalogContext, id: string): Steps<BackgroundTask | null> {
  const row = yield* first(c.qb.selectFrom('background_tasks').selectAll().where('id', '=', id));
  return row ? toTask(c, row) : null;
}

export function listBackgroundTasks(
  c: CatalogContext,
  page: PageQuery,
  filter: BackgroundTaskFilter,
): Steps<Page<BackgroundTask>> {
  let q = c.qb.selectFrom('background_tasks').selectAll();
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
  return paginate(q, page, { key: 'id', keyOf: (r) => r.id, map: (r) => toTask(c, r) });
}

/** Leases the oldest running task nobody holds (or whose holder's lease ran out); run in a transaction. */
export function* claimBackgroundTask(
  c: CatalogContext,
  owner: string,
  now: number,
  leaseMs: number,
): Steps<BackgroundTask | null> {
  const free = yield* first(
    c.qb
      .selectFrom('background_tasks')
      .select('id')
      .where('status', '=', RUNNING)
      .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now)]))
      .orderBy('id')
      .limit(1)
      .$if(c.rowLocks, (q) => q.forUpdate().skipLocked()),
  );
  if (!free) return null;
  const row = yield* first(
    c.qb
      .updateTable('background_tasks')
      .set({ lease_owner: owner, lease_expires_at: now + leaseMs })
      .where('id', '=', free.id)
      .returningAll(),
  );
  return toTask(c, row!);
}

/** Ends a running task as `failed` with `cancelled` in its progress; rows it already re-queued stay queued. */
export function* cancelBackgroundTask(c: CatalogContext, id: string, now: number): Steps<CancelOutcome> {
  const row = yield* first(
    c.qb
      .selectFrom('background_tasks')
      .selectAll()
      .where('id', '=', id)
      .$if(c.rowLocks, (q) => q.forUpdate()),
  );
  if (!row) return { ok: false, reason: 'not_found' };
  if (row.status !== 'running') return { ok: false, reason: 'not_running' };
  const data: BackgroundTaskProgress = { ...c.values.readJson<BackgroundTaskProgress>(row.data), cancelled: true };
  const updated = yield* first(
    c.qb
      .updateTable('background_tasks')
      .set({ status: 'failed', data: c.values.json(data), lease_owner: null, lease_expires_at: null, updated_at: now })
      .where('id', '=', id)
      .returningAll(),
  );
  return { ok: true, task: toTask(c, updated!) };
}

const CHUNKS: Record<BackgroundTask['kind'], ChunkFn> = {
  'endpoint.recover': recoverChunk,
  'endpoint.replay': replayMissingChunk,
  'endpoint.bulk-replay': bulkReplayChunk,
  'dead-letter.resend': resendDeadLettersChunk,
};

const addProgress = (a: BackgroundTaskProgress, matched: number, sent: number): BackgroundTaskProgress => ({
  matched: a.matched + matched,
  sent: a.sent + sent,
  skipped: a.skipped + (matched - sent),
});

/** At least `limit` deliveries of the endpoint are due and waiting, counted by its pending index. */
function* endpointBusy(c: CatalogContext, endpointId: string, now: number, limit: number): Steps<boolean> {
  const due = yield* all(
    c.qb
      .selectFrom('deliveries')
      .select('id')
      .where('endpoint_id', '=', endpointId)
      .where('status', '=', sql.lit(DeliveryStatus.Pending))
      .where('next_attempt_at', '<=', now)
      .limit(limit),
  );
  return due.length >= limit;
}

/**
 * The next chunk of a task, run in a transaction by its lease holder (task-chunks.ts has each
 * kind's), with the task's cursor, progress and renewed lease; `finished` once a chunk read fewer
 * rows than asked. Held — only the lease renewed — while the endpoint already has `holdAt`
 * deliveries due: a replay enters an endpoint's queue only as fast as the endpoint drains it.
 * Null when `owner` no longer holds the task.
 */
export function* advanceBackgroundTask(
  c: CatalogContext,
  id: string,
  owner: string,
  now: number,
  limit: number,
  leaseMs: number,
  holdAt: number | undefined,
): Steps<TaskAdvance | null> {
  const row = yield* first(
    c.qb
      .selectFrom('background_tasks')
      .selectAll()
      .where('id', '=', id)
      .where('status', '=', RUNNING)
      .where('lease_owner', '=', owner)
      .$if(c.rowLocks, (q) => q.forUpdate()),
  );
  if (!row) return null;
  if (holdAt !== undefined && row.endpoint_id !== null && (yield* endpointBusy(c, row.endpoint_id, now, holdAt))) {
    const renewed = yield* first(
      c.qb
        .updateTable('background_tasks')
        .set({ lease_expires_at: now + leaseMs })
        .where('id', '=', id)
        .returningAll(),
    );
    return { task: toTask(c, renewed!), sent: 0, held: true };
  }
  const walk: TaskWalk = { ...row, params: c.values.readJson<TaskParams>(row.params) };
  const chunk = yield* CHUNKS[row.kind](c, walk, now, limit, true);
  const notice = chunk.sent > 0 ? c.notice('work', row.app_id ?? '') : null;
  if (notice) yield* all(raw(c.qb, notice));
  const data = addProgress(c.values.readJson<BackgroundTaskProgress>(row.data), chunk.matched, chunk.sent);
  const done = !chunk.full;
  const updated = yield* first(
    c.qb
      .updateTable('background_tasks')
      .set({
        cursor: chunk.cursor,
        data: c.values.json(data),
        status: done ? 'finished' : 'running',
        lease_owner: done ? null : owner,
        lease_expires_at: done ? null : now + leaseMs,
        updated_at: now,
      })
      .where('id', '=', id)
      .returningAll(),
  );
  return { task: toTask(c, updated!), sent: chunk.sent, held: false };
}

/** What a task would do, walked chunk by chunk without changing anything (a dry run). */
export function* previewBackgroundTask(
  c: CatalogContext,
  q: TaskQuery,
  now: number,
  limit: number,
): Steps<BackgroundTaskProgress> {
  const walk: TaskWalk = {
    app_id: q.appId,
    endpoint_id: q.endpointId,
    params: q.params,
    cursor: null,
  };
  let data: BackgroundTaskProgress = { matched: 0, sent: 0, skipped: 0 };
  for (;;) {
    const chunk = yield* CHUNKS[q.kind](c, walk, now, limit, false);
    data = addProgress(data, chunk.matched, chunk.sent);
    if (!chunk.full) return data;
    walk.cursor = chunk.cursor;
  }
}
