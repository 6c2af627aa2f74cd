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
  keyOf: (row: Row) => string;
}

/** Keyset pagination (src/store/keyset-pagination.ts) with PostgreSQL's SQL. */
export async function paginate<T>(db: Db, q: PagedQuery, page: PageQuery, map: (row: Row) => T): Promise<Page<T>> {
  const scan = keysetScan(page);
  const where = [...q.where];
  const params = [...q.params];
  if (scan.cursor !== null) {
    params.push(scan.cursor);
    where.push(`${q.key} ${scan.ascending ? '>' : '<'} $${params.length}`);
  }
  params.push(scan.fetch);
  const sql = `SELECT ${q.select} FROM ${q.from}${where.length ? ' WHERE ' + where.join(' AND ') : ''}` +
    ` ORDER BY ${q.key} ${scan.ascending ? 'ASC' : 'DESC'} LIMIT $${params.length}`;
  return keysetPage((await db.query<Row>(sql, params)).rows, page, scan, q.keyOf, map);
}
