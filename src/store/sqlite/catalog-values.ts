import { sql, type SqlBool } from 'kysely';
import { jsonText, ref, type CatalogContext, type ValueCodec } from '../catalog/catalog-context.js';
import { compileOnly } from '../catalog/compile-only.js';
import type { StoredBool, StoredList } from '../catalog/schema.js';
import type { SecretCodec } from '../secret-codec.js';

/** SQLite stores JSON and lists as JSON text and booleans as 0/1 (better-sqlite3 cannot bind booleans). */
export const sqliteValues: ValueCodec = {
  json: jsonText,
  readJson: <T>(stored: unknown) => JSON.parse(stored as string) as T,
  bool: (b) => (b ? 1 : 0) as unknown as StoredBool,
  readBool: (stored) => (stored as unknown) === 1,
  list: (l) => JSON.stringify(l) as unknown as StoredList,
  readList: (stored) => JSON.parse(stored as unknown as string) as string[],
};

export function sqliteCatalogContext(secrets: SecretCodec): CatalogContext {
  return {
    qb: compileOnly('sqlite'),
    values: sqliteValues,
    secrets,
    rowLocks: false,
    // instr(), not LIKE, so `%` and `_` are plain characters; lower() folds ASCII only.
    contains: (column, needle) => sql<SqlBool>`instr(lower(${sql.ref(column)}), lower(${needle})) > 0`,
    isIn: (column, list) => sql<SqlBool>`${ref(column)} IN (SELECT value FROM json_each(${JSON.stringify(list)}))`,
    listParam: (list) => JSON.stringify(list),
    // One process: the store's own wake-ups reach its workers and listen readers.
    notice: () => null,
    listHas: (column, value) =>
      sql<SqlBool>`EXISTS (SELECT 1 FROM json_each(${sql.ref(column)}) WHERE value = ${value})`,
    listHasAny: (column, list) =>
      sql<SqlBool>`EXISTS (SELECT 1 FROM json_each(${sql.ref(column)}) l WHERE l.value IN (SELECT value FROM json_each(${JSON.stringify(list)})))`,
    // json_extract gives 1/0 for true/false: json_type tells them apart, as PostgreSQL's #>> does.
    jsonText: (column, path) => {
      const p = `$.${path.join('.')}`;
      return sql<
        string | null
      >`(CASE json_type(${sql.ref(column)}, ${p}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
        WHEN 'object' THEN NULL WHEN 'array' THEN NULL WHEN 'null' THEN NULL
        ELSE CAST(json_extract(${sql.ref(column)}, ${p}) AS TEXT) END)`;
    },
    jsonNumber: (column, path) => {
      const p = `$.${path.join('.')}`;
      return sql<number | null>`(CASE WHEN json_type(${sql.ref(column)}, ${p}) IN ('integer', 'real')
        THEN json_extract(${sql.ref(column)}, ${p}) END)`;
    },
    jsonArray: (items) => (items.length === 0 ? sql<string>`'[]'` : sql<string>`json_array(${sql.join(items)})`),
  };
}
