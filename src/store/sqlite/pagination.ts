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

/**
 * Svix-style cursor pagination. Forward: items after `iterator` in the requested order.
 * An iterator `-<id>` (prevIterator) walks backwards: the `limit` items just before `<id>`,
 * returned in the requested order. `done` says no more items remain in the walked direction;
 * `iterator` is the last item's key, `prevIterator` `-` + the first's (null on an empty page).
 */
export function paginate<T>(ctx: SqliteContext, q: PagedQuery, page: PageQuery, map: (row: Row) => T): Page<T> {
  const backwards = page.iterator !== null && page.iterator.startsWith('-');
  const cursor = page.iterator === null ? null : backwards ? page.iterator.slice(1) : page.iterator;
  const ascending = page.order === 'ascending';
  // Walking backwards through an ascending list reads descending from the cursor, and vice versa.
  const scanAscending = backwards ? !ascending : ascending;
  const where = [...q.where];
  const params = [...q.params];
  if (cursor !== null) {
    where.push(`${q.key} ${scanAscending ? '>' : '<'} ?`);
    params.push(cursor);
  }
  const sql = `SELECT ${q.select} FROM ${q.from}${where.length ? ' WHERE ' + where.join(' AND ') : ''}` +
    ` ORDER BY ${q.key} ${scanAscending ? 'ASC' : 'DESC'} LIMIT ?`;
  let rows = ctx.stmt(sql).all(...params, page.limit + 1) as Row[];
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
