import type { Application } from '../../domain/model.js';
import type { ApplicationFilter, ApplicationUpdate, NewApplication, Page, PageQuery } from '../store.js';
import type { Db } from './db.js';
import { paginate } from './pagination.js';
import { toApplication } from './row-mappers.js';
import { buildSet, jsonb, same, type ColumnMap } from './update-builder.js';

const COLUMNS: ColumnMap<ApplicationUpdate> = {
  uid: ['uid', same],
  name: ['name', same],
  rateLimit: ['rate_limit', same],
  metadata: ['metadata', jsonb],
};

export async function createApplication(db: Db, a: NewApplication): Promise<Application> {
  const { rows } = await db.query(
    `INSERT INTO applications (id, uid, name, rate_limit, metadata, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING *`,
    [a.id, a.uid, a.name, a.rateLimit, JSON.stringify(a.metadata), a.now],
  );
  return toApplication(rows[0]);
}

/** By ID first, then by uid. */
export async function getApplication(db: Db, idOrUid: string): Promise<Application | null> {
  const { rows } = await db.query(
    'SELECT * FROM applications WHERE id = $1 OR uid = $1 ORDER BY (id = $1) DESC LIMIT 1',
    [idOrUid],
  );
  return rows[0] ? toApplication(rows[0]) : null;
}

/** `search`: the ID exactly, or a case-insensitive substring of the uid or name; matched with strpos(), so `%` and `_` are plain characters. */
export function listApplications(db: Db, page: PageQuery, filter: ApplicationFilter = {}): Promise<Page<Application>> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.search !== undefined) {
    params.push(filter.search);
    where.push('(id = $1 OR strpos(lower(uid), lower($1)) > 0 OR strpos(lower(name), lower($1)) > 0)');
  }
  return paginate(
    db,
    { select: '*', from: 'applications', where, params, key: 'id', keyOf: (r) => r.id as string },
    page,
    toApplication,
  );
}

export async function updateApplication(
  db: Db,
  id: string,
  update: ApplicationUpdate,
  now: number,
): Promise<Application | null> {
  const params: unknown[] = [];
  const sets = buildSet(COLUMNS, update, params);
  params.push(now, id);
  const { rows } = await db.query(
    `UPDATE applications SET ${[...sets, `updated_at = $${params.length - 1}`].join(', ')} WHERE id = $${params.length} RETURNING *`,
    params,
  );
  return rows[0] ? toApplication(rows[0]) : null;
}

/**
 * Deletes the app with everything under it. Foreign keys cascade to endpoints, messages,
 * tokens and offsets; deliveries have none (see the migration), so they go first, by endpoint
 * (every delivery of an app belongs to one of its endpoints), after the app and its endpoints
 * are locked FOR UPDATE — in ID order, the order ingest takes its KEY SHARE locks in.
 */
export function deleteApplication(db: Db, id: string): Promise<boolean> {
  return db.tx(async (client) => {
    const { rows } = await client.query('SELECT id FROM applications WHERE id = $1 FOR UPDATE', [id]);
    if (!rows[0]) return false;
    const eps = await client.query<{ id: string }>(
      'SELECT id FROM endpoints WHERE app_id = $1 ORDER BY id FOR UPDATE',
      [id],
    );
    await client.query('DELETE FROM deliveries WHERE endpoint_id = ANY($1::text[])', [eps.rows.map((r) => r.id)]);
    await client.query('DELETE FROM applications WHERE id = $1', [id]);
    return true;
  });
}
