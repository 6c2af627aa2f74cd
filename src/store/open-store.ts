import { join } from 'node:path';
import type { Config } from '../config.js';
import type { SecretBox } from '../domain/secret-box.js';
import type { Store } from './store.js';

/** The SQLite file inside the data dir. */
export const SQLITE_FILE_NAME = 'hookrelay.db';

/**
 * The store the config asks for, migrated: PostgreSQL when `databaseUrl` is set (its driver is
 * loaded only then), else the embedded SQLite file `<dataDir>/hookrelay.db`,
 * on a thread of its own unless `sqliteThread` is off.
 */
export async function openStore(config: Config, secretBox: SecretBox): Promise<Store> {
  let store: Store;
  if (config.databaseUrl) {
    // Imported only here, so SQLite-only processes never load `pg`.
    const { PostgresStore } = await import('./postgres/postgres-store.js');
    store = new PostgresStore({ url: config.databaseUrl, queryTimeoutMs: config.databaseQueryTimeoutMs, secretBox });
  } else {
    const options = { file: join(config.dataDir, SQLITE_FILE_NAME), secretBox, synchronous: config.sqliteSynchronous };
    if (config.sqliteThread) {
      const { ThreadedSqliteStore } = await import('./sqlite/threaded-sqlite-store.js');
      store = await ThreadedSqliteStore.open(options);
    } else {
      const { SqliteStore } = await import('./sqlite/sqlite-store.js');
      store = new SqliteStore(options);
    }
  }
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
  return store;
}

/** An empty in-memory store (SQLite, on the calling thread), migrated: for tools that need routes but no data. */
export async function openMemoryStore(secretBox: SecretBox): Promise<Store> {
  const { SqliteStore } = await import('./sqlite/sqlite-store.js');
  const store = new SqliteStore({ file: ':memory:', secretBox });
  await store.migrate();
  return store;
}
