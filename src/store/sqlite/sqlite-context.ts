import type Database from 'better-sqlite3';
import type { SecretCodec } from '../secret-codec.js';

/** What every table module of the SQLite adapter needs: the connection, cached statements, the secret codec. */
export interface SqliteContext {
  readonly db: Database.Database;
  /** A prepared statement for `sql`, prepared once per connection. */
  stmt(sql: string): Database.Statement;
  readonly secrets: SecretCodec;
}

export type Row = Record<string, unknown>;

/** better-sqlite3 cannot bind booleans. */
export const bit = (b: boolean): number => (b ? 1 : 0);
export const json = (v: unknown): string => JSON.stringify(v);
export const jsonOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
