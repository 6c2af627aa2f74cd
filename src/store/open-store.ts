import { join } from 'node:path';
import type { Config } from '../config.js';
import type { SecretBox } from '../domain/secret-box.js';
import type { Store } from './store.js';

/** The SQLite file inside the data dir. */
export const SQLITE_FILE_NAME = 'hookrelay.db';

const POSTGRES_MODULE = './postgres/postgres-store.js';

type PostgresStoreClass = new (options: { url: string; secretBox: SecretBox; queryTimeoutMs?: number }) => Store;

/**
 * The store the config asks for, migrated: PostgreSQL when `databaseUrl` is set (its driver is
 * loaded only then), else the embedded SQLite file `<dataDir>/hookrelay.db`.
 */
export async function openStore(config: Config, secretBox: SecretBox): Promise<Store> {
  let store: Store;
  if (config.databaseUrl) {
    // A variable specifier keeps `pg` out of SQLite-only processes and this file independent of the adapter's types.
    const { PostgresStore } = (await import(POSTGRES_MODULE)) as { PostgresStore: PostgresStoreClass };
    store = new PostgresStore({ url: config.databaseUrl, queryTimeoutMs: config.databaseQueryTimeoutMs, secretBox });
  } else {
    const { SqliteStore } = await import('./sqlite/sqlite-store.js');
    store = new SqliteStore({ file: join(config.dataDir, SQLITE_FILE_NAME), secretBox, synchronous: config.sqliteSynchronous });
  }
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
  return store;
}
