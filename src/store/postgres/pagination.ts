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

/**
 * Svix-style cursor pagination, identical to the SQLite adapter's. Forward: items after
 * `iterator` in the requested order. An iterator `-<id>` (prevIterator) walks backwards: the
 * `limit` items just before `<id>`, returned in the requested order. `done` says no more items
 * remain in the walked direction; `iterator` is the last item's key, `prevIterator` `-` + the
 * first's (both null on an empty page).
 */
export async function paginate<T>(db: Db, q: PagedQuery, page: PageQuery, map: (row: Row) => T): Promise<Page<T>> {
  const backwards = page.iterator !== null && page.iterator.startsWith('-');
  const cursor = page.iterator === null ? null : backwards ? page.iterator.slice(1) : page.iterator;
  const ascending = page.order === 'ascending';
  // Walking backwards through an ascending list reads descending from the cursor, and vice versa.
  const scanAscending = backwards ? !ascending : ascending;
  const where = [...q.where];
  const params = [...q.params];
  if (cursor !== null) {
    params.push(cursor);
    where.push(`${q.key} ${scanAscending ? '>' : '<'} $${params.length}`);
  }
  params.push(page.limit + 1);
  const sql = `SELECT ${q.select} FROM ${q.from}${where.length ? ' WHERE ' + where.join(' AND ') : ''}` +
    ` ORDER BY ${q.key} ${scanAscending ? 'ASC' : 'DESC'} LIMIT $${params.length}`;
  let rows = (await db.query<Row>(sql, params)).rows;
  const more = rows.length > page.limit;
  if (more) rows = rows.slice(0, page.limit);
  if (backwards) rows.reverse();
  const first = rows[0];
  const last = rows[rows.length - 1];
  return {
    data: rows.map(map),
    iterator: last ? q.keyOf(last) : null,
    prevIterator: first ? '-' + q.keyOf(first) : null,
    done: !more,
  };
}
