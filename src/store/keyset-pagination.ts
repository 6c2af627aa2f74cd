import type { Page, PageQuery } from './store.js';

/**
 * Svix-style cursor pagination, shared by both adapters (each only writes its own SQL).
 * Forward: items after `iterator` in the requested order. An iterator `-<id>` (prevIterator)
 * walks backwards: the `limit` items just before `<id>`, returned in the requested order.
 * `done` says no more items remain in the walked direction; `iterator` is the last item's
 * key, `prevIterator` `-` + the first's (both null on an empty page).
 */
export interface KeysetScan {
  /** The key to continue from, or null for the first page. */
  cursor: string | null;
  /** Direction of the SQL scan: `key > cursor ORDER BY key ASC`, or `<` and DESC. */
  ascending: boolean;
  backwards: boolean;
  /** Rows to fetch: one more than the page, to know whether more remain. */
  fetch: number;
}

export function keysetScan(page: PageQuery): KeysetScan {
  const backwards = page.iterator !== null && page.iterator.startsWith('-');
  const cursor = page.iterator === null ? null : backwards ? page.iterator.slice(1) : page.iterator;
  // Walking backwards through an ascending list reads descending from the cursor, and vice versa.
  const ascending = backwards ? page.order !== 'ascending' : page.order === 'ascending';
  return { cursor, ascending, backwards, fetch: page.limit + 1 };
}

/** Turn the scanned rows (up to `fetch`) into the page. */
export function keysetPage<R, T>(
  rows: R[],
  page: PageQuery,
  scan: KeysetScan,
  keyOf: (row: R) => string,
  map: (row: R) => T,
): Page<T> {
  const more = rows.length > page.limit;
  const kept = more ? rows.slice(0, page.limit) : rows.slice();
  if (scan.backwards) kept.reverse();
  const first = kept[0];
  const last = kept[kept.length - 1];
  return {
    data: kept.map(map),
    iterator: last === undefined ? null : keyOf(last),
    prevIterator: first === undefined ? null : '-' + keyOf(first),
    done: !more,
  };
}
