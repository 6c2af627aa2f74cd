import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { SecretCodec } from '../secret-codec.js';
import type { CatalogSchema, StoredBool, StoredJson, StoredList } from './schema.js';

/** How a dialect stores the values whose form differs (schema.ts): written and read only through here. */
export interface ValueCodec {
  json(value: unknown): StoredJson;
  readJson<T>(stored: StoredJson): T;
  bool(value: boolean): StoredBool;
  readBool(stored: StoredBool): boolean;
  list(value: string[]): StoredList;
  readList(stored: StoredList): string[];
}

/** What a catalog operation needs from its adapter: a compile-only query builder and the dialect's few differences. */
export interface CatalogContext {
  readonly qb: Kysely<CatalogSchema>;
  readonly values: ValueCodec;
  /** Seals endpoint secrets before writes, opens them on reads. */
  readonly secrets: SecretCodec;
  /** Whether `FOR UPDATE` applies (PostgreSQL). SQLite has none: its one writer already serialises a transaction. */
  readonly rowLocks: boolean;
  /** `column` contains `needle` as plain text (no wildcards), ignoring case. */
  contains(column: string, needle: string): Expression<SqlBool>;
  /** `column` is one of `values`: one parameter (`listParam(values)`) whatever their count, so one statement text. */
  isIn(column: string | Expression<unknown>, values: string[]): Expression<SqlBool>;
  /** The one parameter `isIn` binds for a list. */
  listParam(values: string[]): unknown;
  /**
   * A statement that tells other processes, at commit, that an app has work due (`work`) or a listen
   * channel has a new event (`listen`): PostgreSQL's NOTIFY; null where there are no other processes.
   */
  notice(kind: 'work' | 'listen', id: string): RawBuilder<unknown> | null;
  /** The list `column` (StoredList) holds `value`. */
  listHas(column: string, value: string): Expression<SqlBool>;
  /** The list `column` (StoredList) holds at least one of `values`. */
  listHasAny(column: string, values: string[]): Expression<SqlBool>;
  /** The JSON value at `path` in `column` (StoredJson) as text (`true`/`false` for booleans); null when absent or not a scalar. */
  jsonText(column: string, path: string[]): RawBuilder<string | null>;
  /** The JSON number at `path` in `column`; null when absent or not a number. */
  jsonNumber(column: string, path: string[]): RawBuilder<number | null>;
  /** A JSON array of `items` (text or null) as text; the same items give the same text. */
  jsonArray(items: RawBuilder<string | null>[]): RawBuilder<string>;
}

/** A column by name, or an expression standing for one. */
export const ref = (column: string | Expression<unknown>): Expression<unknown> =>
  typeof column === 'string' ? sql.ref(column) : column;

/** JSON is sent as text on both dialects (pg would turn a JS array into a PostgreSQL array, not jsonb). */
export const jsonText = (value: unknown): StoredJson => JSON.stringify(value) as unknown as StoredJson;

/** `f(value)` for a field an update sets; undefined (leave the column as it is) otherwise. */
export const ifSet = <T, R>(value: T | undefined, f: (v: T) => R): R | undefined =>
  value === undefined ? undefined : f(value);
