import { sql, type Expression, type SelectQueryBuilder } from 'kysely';
import { keysetPage, keysetScan } from '../keyset-pagination.js';
import type { Page, PageQuery } from '../store.js';
import type { CatalogSchema } from './schema.js';
import { all, type Steps } from './steps.js';

export interface PageKey<R, T> {
  /** The column (or expression) the list is ordered and iterated by; it sorts by binary collation. */
  key: string | Expression<string>;
  /**
   * A column a join makes equal to `key`: it gets the cursor's condition too. PostgreSQL does not
   * carry an inequality across a join's equality, and a merge join would otherwise read the other
   * side from its first row to the cursor on every page.
   */
  keyAlso?: string;
  keyOf: (row: R) => string;
  map: (row: R) => T;
}

/** Keyset pagination (keyset-pagination.ts) over a query: the cursor's condition, the key's order and the limit are added here. */
export function* paginate<R, T>(
  query: SelectQueryBuilder<CatalogSchema, any, R>,
  page: PageQuery,
  k: PageKey<R, T>,
): Steps<Page<T>> {
  const scan = keysetScan(page);
  const ref = (key: string | Expression<string>) => (typeof key === 'string' ? sql.ref<string>(key) : key);
  let q = query;
  if (scan.cursor !== null)
    for (const key of k.keyAlso ? [k.key, k.keyAlso] : [k.key])
      q = q.where(ref(key), scan.ascending ? '>' : '<', scan.cursor);
  q = q.orderBy(ref(k.key), scan.ascending ? 'asc' : 'desc').limit(scan.fetch);
  const rows = yield* all(q, { keyOrder: true });
  return keysetPage(rows, page, scan, k.keyOf, k.map);
}
