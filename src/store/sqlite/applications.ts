import type { Application } from '../../domain/model.js';
import type { ApplicationFilter, ApplicationUpdate, NewApplication, Page, PageQuery } from '../store.js';
import { paginate } from './pagination.js';
import { toApplication } from './row-mappers.js';
import { json, type Row, type SqliteContext } from './sqlite-context.js';
import { buildSet, same, type ColumnMap } from './update-builder.js';

const COLUMNS: ColumnMap<ApplicationUpdate> = {
  uid: ['uid', same],
  name: ['name', same],
  rateLimit: ['rate_limit', same],
  metadata: ['metadata', json],
};

export function createApplication(ctx: SqliteContext, a: NewApplication): Application {
  const row = ctx
    .stmt(
      `INSERT INTO applications (id, uid, name, rate_limit, metadata, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    )
    .get(a.id, a.uid, a.name, a.rateLimit, json(a.metadata), a.now, a.now) as Row;
  return toApplication(row);
}

export function getApplication(ctx: SqliteContext, idOrUid: string): Application | null {
  const row = (ctx.stmt('SELECT * FROM applications WHERE id = ?').get(idOrUid) ??
    ctx.stmt('SELECT * FROM applications WHERE uid = ?').get(idOrUid)) as Row | undefined;
  return row ? toApplication(row) : null;
}

/** `search`: the ID exactly, or a substring of the uid or name, ignoring (ASCII) case; matched with instr(), so `%` and `_` are plain characters. */
export function listApplications(
  ctx: SqliteContext,
  page: PageQuery,
  filter: ApplicationFilter = {},
): Page<Application> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.search !== undefined) {
    where.push('(id = ? OR instr(lower(uid), ?) > 0 OR instr(lower(name), ?) > 0)');
    const needle = filter.search.toLowerCase();
    params.push(filter.search, needle, needle);
  }
  return paginate(
    ctx,
    { select: '*', from: 'applications', where, params, key: 'id', keyOf: (r) => r.id as string },
    page,
    toApplication,
  );
}

export function updateApplication(
  ctx: SqliteContext,
  id: string,
  update: ApplicationUpdate,
  now: number,
): Application | null {
  const { sets, params } = buildSet(COLUMNS, update);
  const row = ctx
    .stmt(`UPDATE applications SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE id = ? RETURNING *`)
    .get(...params, now, id) as Row | undefined;
  return row ? toApplication(row) : null;
}

export function deleteApplication(ctx: SqliteContext, id: string): boolean {
  // Foreign keys cascade to endpoints, messages, deliveries, attempts, tokens and offsets.
  return ctx.stmt('DELETE FROM applications WHERE id = ?').run(id).changes > 0;
}
