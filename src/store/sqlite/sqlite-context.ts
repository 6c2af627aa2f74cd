import type Database from 'better-sqlite3';
import type { CatalogContext } from '../catalog/catalog-context.js';
import type { SecretCodec } from '../secret-codec.js';

/** What every table module of the SQLite adapter needs: the connection, cached statements, the secret codec. */
export interface SqliteContext {
  readonly db: Database.Database;
  /** A prepared statement for `sql`, prepared once per connection. */
  stmt(sql: string): Database.Statement;
  readonly secrets: SecretCodec;
  /** The shared catalog's view of this dialect (catalog/), for the plain tables and their row mappers. */
  readonly catalog: CatalogContext;
  /**
   * Run `fn` (which opens its own transaction) without waiting for fsync: lease and outcome
   * writes. Losing one on power failure can only make a delivery be sent again — which
   * at-least-once allows, with the same webhook-id — so they skip the fsync that accepted
   * messages pay. Uses synchronous=NORMAL, which in WAL mode never corrupts the database.
   */
  relaxed<T>(fn: () => T): T;
}

export type Row = Record<string, unknown>;

/** better-sqlite3 cannot bind booleans. */
export const bit = (b: boolean): number => (b ? 1 : 0);
export const json = (v: unknown): string => JSON.stringify(v);
export const jsonOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
