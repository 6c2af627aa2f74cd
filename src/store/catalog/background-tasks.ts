import { sql, type Selectable } from 'kysely';
import type { Page, PageQuery } from '../store.js';
import type {
  BackgroundTask,
  BackgroundTaskFilter,
  BackgroundTaskProgress,
  CancelOutcome,
  NewBackgroundTask,
} from '../task-types.js';
import type { CatalogContext } from './catalog-context.js';
import { paginate } from './paginate.js';
import type { BackgroundTasksTable } from './schema.js';
import { all, first, type Steps } from './steps.js';
import { bulkReplayChunk, recoverChunk, replayMissingChunk } from './task-chunks.js';

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

const CHUNKS = {
  'endpoint.recover': recoverChunk,
  'endpoint.replay': replayMissingChunk,
  'endpoint.bulk-replay': bulkReplayChunk,
} as const;

/**
 * The next chunk of a task, run in a transaction by its lease holder (task-chunks.ts has each
 * kind's), with the task's cursor, progress and renewed lease; `finished` once a chunk read fewer
 * rows than asked. Null when `owner` no longer holds the task. `requeued`: rows made due, for the wake-up.
 */
export function* advanceBackgroundTask(
  c: CatalogContext,
  id: string,
  owner: string,
  now: number,
  limit: number,
  leaseMs: number,
): Steps<{ task: BackgroundTask; requeued: number } | null> {
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
  const chunk = yield* CHUNKS[row.kind](c, row, now, limit);
  const notice = chunk.sent > 0 ? c.workNotice(row.app_id) : null;
  if (notice) yield* all({ compile: () => notice.compile(c.qb) });
  const before = c.values.readJson<BackgroundTaskProgress>(row.data);
  const data: BackgroundTaskProgress = {
    matched: before.matched + chunk.matched,
    sent: before.sent + chunk.sent,
    skipped: before.skipped + (chunk.matched - chunk.sent),
  };
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
  return { task: toTask(c, updated!), requeued: chunk.sent };
}
