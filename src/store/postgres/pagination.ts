import { keysetPage, keysetScan } from '../keyset-pagination.js';
import type { Page, PageQuery } from '../store.js';
import type { Db } from './db.js';

type Row = Record<string, unknown>;

/** A keyset-paged query: `SELECT <select> FROM <from> WHERE <where...>` ordered by `key` (a COLLATE "C" column). */
export interface PagedQuery {
  select: string;
  from: string;
  /** Conditions using `$1..$n`, numbered after nothing: `params` are their values. */
  where: string[];
  params: unknown[];
  /** The (qualified) column that orders the list and that iterators name, e.g. `m.id`. */
  key: string;
  /**
   * A column the join makes equal to `key` (`m.id` for `d.msg_id`): it gets the cursor's
   * condition too. PostgreSQL does not carry an inequality across a join's equality, and a merge
   * join would otherwise read the other side from its first row to the cursor on every page.
   */
  keyAlso?: string;
  keyOf: (row: Row) => string;
}

/**
 * Keyset pagination (src/store/keyset-pagination.ts) with PostgreSQL's SQL. A page is read in
 * its key's order from the index, stopping at the limit (Db.tx's `keyOrder`): left to its
 * estimates — none yet for a table just filled, or an application that grew since the last
 * ANALYZE — the planner may instead collect every row of the app or endpoint and sort them for
 * the top 51, which at a million messages takes seconds.
 */
export async function paginate<T>(db: Db, q: PagedQuery, page: PageQuery, map: (row: Row) => T): Promise<Page<T>> {
  const scan = keysetScan(page);
  const where = [...q.where];
  const params = [...q.params];
  if (scan.cursor !== null) {
    params.push(scan.cursor);
    for (const column of q.keyAlso ? [q.key, q.keyAlso] : [q.key])
      where.push(`${column} ${scan.ascending ? '>' : '<'} $${params.length}`);
  }
  params.push(scan.fetch);
  const sql =
    `SELECT ${q.select} FROM ${q.from}${where.length ? ' WHERE ' + where.join(' AND ') : ''}` +
    ` ORDER BY ${q.key} ${scan.ascending ? 'ASC' : 'DESC'} LIMIT $${params.length}`;
  const { rows } = await db.tx((client) => client.query<Row>(sql, params), { keyOrder: true });
  return keysetPage(rows, page, scan, q.keyOf, map);
}
