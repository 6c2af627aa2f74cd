import { sql, type Expression, type SelectQueryBuilder } from 'kysely';
import { keysetPage, keysetScan } from '../keyset-pagination.js';
import type { Page, PageQuery } from '../store.js';
import type { CatalogSchema } from './schema.js';
import { all, type Steps } from './steps.js';

/**
 * Keyset pagination (keyset-pagination.ts) over a catalog query: the cursor's condition, the
 * key's order and the limit are added here. `key` is a column, or an expression the list is
 * keyed by; it must sort by binary collation (SQLite's default, `COLLATE "C"` on PostgreSQL).
 */
export function* paginate<R, T>(
  query: SelectQueryBuilder<CatalogSchema, any, R>,
  key: string | Expression<string>,
  page: PageQuery,
  keyOf: (row: R) => string,
  map: (row: R) => T,
): Steps<Page<T>> {
  const scan = keysetScan(page);
  const keyExpr = typeof key === 'string' ? sql.ref<string>(key) : key;
  let q = query;
  if (scan.cursor !== null) q = q.where(keyExpr, scan.ascending ? '>' : '<', scan.cursor);
  q = q.orderBy(keyExpr, scan.ascending ? 'asc' : 'desc').limit(scan.fetch);
  const rows = yield* all(q, { keyOrder: true });
  return keysetPage(rows, page, scan, keyOf, map);
}
