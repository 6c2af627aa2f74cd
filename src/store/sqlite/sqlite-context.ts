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
   * Run `fn` (its own transaction) with synchronous=NORMAL: leases and outcomes, whose loss in a
   * power cut only sends a delivery again, skip the fsync; WAL mode stays uncorrupted.
   */
  relaxed<T>(fn: () => T): T;
}

/** better-sqlite3 cannot bind booleans. */
export const bit = (b: boolean): number => (b ? 1 : 0);
export const json = (v: unknown): string => JSON.stringify(v);
export const jsonOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
