import { sql, type SqlBool } from 'kysely';
import { jsonText, ref, type CatalogContext, type ValueCodec } from '../catalog/catalog-context.js';
import { compileOnly } from '../catalog/compile-only.js';
import type { StoredBool, StoredList } from '../catalog/schema.js';
import type { SecretCodec } from '../secret-codec.js';
import { CHANNEL_LISTEN, CHANNEL_WORK } from './channels.js';

/** pg already reads jsonb as objects, booleans as booleans and text[] as arrays, and binds arrays as text[]. */
export const postgresValues: ValueCodec = {
  json: jsonText,
  readJson: <T>(stored: unknown) => stored as T,
  bool: (b) => b as unknown as StoredBool,
  readBool: (stored) => stored as unknown as boolean,
  list: (l) => l as unknown as StoredList,
  readList: (stored) => stored as unknown as string[],
};

export function postgresCatalogContext(secrets: SecretCodec): CatalogContext {
  return {
    qb: compileOnly('postgres'),
    values: postgresValues,
    secrets,
    rowLocks: true,
    // strpos(), not LIKE, so `%` and `_` are plain characters.
    contains: (column, needle) => sql<SqlBool>`strpos(lower(${sql.ref(column)}), lower(${needle})) > 0`,
    isIn: (column, list) => sql<SqlBool>`${ref(column)} = ANY(${list}::text[])`,
    listParam: (list) => list,
    notice: (kind, id) => sql`SELECT pg_notify(${kind === 'work' ? CHANNEL_WORK : CHANNEL_LISTEN}, ${id})`,
    listHas: (column, value) => sql<SqlBool>`${value}::text = ANY(${sql.ref(column)})`,
    listHasAny: (column, list) => sql<SqlBool>`${sql.ref(column)} && ${list}::text[]`,
    jsonText: (column, path) =>
      sql<
        string | null
      >`(CASE WHEN jsonb_typeof(${sql.ref(column)} #> ${path}::text[]) IN ('string', 'number', 'boolean')
        THEN ${sql.ref(column)} #>> ${path}::text[] END)`,
    jsonNumber: (column, path) =>
      sql<number | null>`(CASE WHEN jsonb_typeof(${sql.ref(column)} #> ${path}::text[]) = 'number'
        THEN (${sql.ref(column)} #>> ${path}::text[])::double precision END)`,
    jsonArray: (items) =>
      items.length === 0 ? sql<string>`'[]'` : sql<string>`json_build_array(${sql.join(items)})::text`,
  };
}
