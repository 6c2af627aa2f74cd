import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox } from '../../src/domain/secret-box.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { workerSuite } from './worker-cases.js';

async function openSqlite() {
  const dir = mkdtempSync(join(tmpdir(), 'hookrelay-worker-'));
  const store = new SqliteStore({ file: join(dir, 'hookrelay.db'), secretBox: SecretBox.random() });
  await store.migrate();
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

workerSuite('sqlite', openSqlite);
