import { keysetPage, keysetScan } from '../keyset-pagination.js';
import type { Page, PageQuery } from '../store.js';
import type { Row, SqliteContext } from './sqlite-context.js';

/** A keyset-paged query: `SELECT <select> FROM <from> WHERE <where...>` ordered by `key` (binary collation). */
export interface PagedQuery {
  select: string;
  from: string;
  where: string[];
  params: unknown[];
  /** The (qualified) column that orders the list and that iterators name, e.g. `m.id`. */
  key: string;
  /** Read the key of a row (as selected). */
  keyOf: (row: Row) => string;
}

/** Keyset pagination (src/store/keyset-pagination.ts) with SQLite's SQL. */
export function paginate<T>(ctx: SqliteContext, q: PagedQuery, page: PageQuery, map: (row: Row) => T): Page<T> {
  const scan = keysetScan(page);
  const where = [...q.where];
  const params = [...q.params];
  if (scan.cursor !== null) {
    where.push(`${q.key} ${scan.ascending ? '>' : '<'} ?`);
    params.push(scan.cursor);
  }
  const sql =
    `SELECT ${q.select} FROM ${q.from}${where.length ? ' WHERE ' + where.join(' AND ') : ''}` +
    ` ORDER BY ${q.key} ${scan.ascending ? 'ASC' : 'DESC'} LIMIT ?`;
  return keysetPage(ctx.stmt(sql).all(...params, scan.fetch) as Row[], page, scan, q.keyOf, map);
}
