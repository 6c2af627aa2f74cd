import type { CompiledQuery, Selectable } from 'kysely';
import type { CatalogContext } from './catalog-context.js';
import type { CatalogSchema } from './schema.js';
import type { Steps } from './steps.js';

type ByIdTable = 'messages' | 'endpoints';
const compiled = new WeakMap<CatalogContext, Map<ByIdTable, CompiledQuery>>();

/**
 * The rows of `table` with these IDs (any app), in one statement. It runs for every claimed
 * batch, so its SQL is compiled once per context and only the list parameter changes.
 */
export function* rowsByIds<T extends ByIdTable>(
  c: CatalogContext,
  table: T,
  ids: string[],
): Steps<Array<Selectable<CatalogSchema[T]>>> {
  if (ids.length === 0) return [];
  let byTable = compiled.get(c);
  if (!byTable) compiled.set(c, (byTable = new Map()));
  let query = byTable.get(table);
  if (!query) {
    query = c.qb
      .selectFrom(table as ByIdTable)
      .selectAll()
      .where(c.isIn('id', []))
      .compile();
    byTable.set(table, query);
  }
  const rows = yield { query: { ...query, parameters: [c.listParam([...new Set(ids)])] }, returns: 'rows' };
  return rows as Array<Selectable<CatalogSchema[T]>>;
}
