import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SecretBox } from '../../../src/domain/secret-box.js';
import type { OpenStore } from '../store.contract.js';
import type { Store } from '../../../src/store/store.js';

/**
 * The store contract's harness for a SQLite adapter (test support): a fresh file under `root`
 * per test, the store `open` makes on it, migrated, and a second, read-only connection that
 * reads what is really on disk (the store itself exposes nothing extra).
 */
export function sqliteContractHarness(
  root: string,
  open: (file: string, secretBox: SecretBox) => Promise<Store>,
): OpenStore {
  let n = 0;
  return async () => {
    const file = join(root, `contract-${++n}`, 'hookrelay.db');
    const secretBox = SecretBox.random();
    const store = await open(file, secretBox);
    await store.migrate();
    const raw = new Database(file, { readonly: true });
    return {
      store,
      secretBox,
      rawEndpointSecrets: async (id) =>
        (raw.prepare('SELECT secrets FROM endpoints WHERE id = ?').get(id) as { secrets: string }).secrets,
      cleanup: async () => {
        raw.close();
        await store.close();
      },
    };
  };
}
