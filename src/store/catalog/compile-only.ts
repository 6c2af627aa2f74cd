import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { CatalogSchema } from './schema.js';

/**
 * A Kysely instance that only builds and compiles SQL: its driver executes nothing. Each
 * adapter runs the compiled statements itself (better-sqlite3 synchronously in its store
 * thread, pg on its own pool and transactions), so Kysely never owns a connection.
 */
export function compileOnly(dialect: 'sqlite' | 'postgres'): Kysely<CatalogSchema> {
  const sqlite = dialect === 'sqlite';
  return new Kysely<CatalogSchema>({
    dialect: {
      createAdapter: () => (sqlite ? new SqliteAdapter() : new PostgresAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => (sqlite ? new SqliteIntrospector(db) : new PostgresIntrospector(db)),
      createQueryCompiler: () => (sqlite ? new SqliteQueryCompiler() : new PostgresQueryCompiler()),
    },
  });
}
