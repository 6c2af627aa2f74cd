import { SecretBox } from '../../src/domain/secret-box.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase } from '../support/postgres.js';

/**
 * A real PostgresStore on a fresh database (dropped by cleanup). The adapter is imported
 * lazily so the SQLite half of a suite runs even where the PostgreSQL adapter is absent.
 */
export async function openPostgresStore(): Promise<{ store: Store; cleanup: () => Promise<void> }> {
  const { PostgresStore } = await import('../../src/store/postgres/postgres-store.js');
  const db = await createTestDatabase('hr_api');
  const store: Store = new PostgresStore({ url: db.url, secretBox: SecretBox.random() });
  await store.migrate();
  return { store, cleanup: db.drop };
}
