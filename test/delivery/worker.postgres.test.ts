import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { SecretBox } from '../../src/domain/secret-box.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { ingestHandoffSuite } from './ingest-handoff-cases.js';
import { workerSuite } from './worker-cases.js';

// A fresh database per suite (test/support/postgres.ts prints the skip line when absent outside CI).
async function openPostgres() {
  const db = await createTestDatabase('hr_worker');
  const store = new PostgresStore({ url: db.url, secretBox: SecretBox.random() });
  await store.migrate();
  return {
    store,
    cleanup: async () => {
      await store.close();
      await db.drop();
    },
  };
}

workerSuite('postgres', openPostgres, postgresAvailable);
ingestHandoffSuite('postgres', openPostgres, postgresAvailable);
