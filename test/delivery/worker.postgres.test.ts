import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { SecretBox } from '../../src/domain/secret-box.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { workerSuite } from './worker-cases.js';

// One fresh database for this file (test/support/postgres.ts prints the skip line when absent outside CI).
let drop: (() => Promise<void>) | null = null;

workerSuite('postgres', async () => {
  const db = await createTestDatabase('hr_worker');
  drop = db.drop;
  const store = new PostgresStore({ url: db.url, secretBox: SecretBox.random() });
  await store.migrate();
  return { store, cleanup: async () => { await store.close(); await drop?.(); } };
}, postgresAvailable);
