import pg from 'pg';
import { SecretBox } from '../../domain/secret-box.js';
import { PostgresStore } from './postgres-store.js';

/**
 * Test helpers for the PostgreSQL adapter (used by postgres-store.test.ts and
 * postgres-concurrency.test.ts; not part of the runtime). One database per test file
 * (test/support/postgres.ts); each test gets the same schema emptied.
 */

/** Empty every table and restart the seq, keeping the schema. DELETE, not TRUNCATE: on tables
 * this small it is ~10× faster (TRUNCATE swaps and fsyncs every file). Deliveries (attempts
 * cascade) have no foreign key; deleting applications cascades to the rest. */
export async function truncateAll(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`BEGIN;
      DELETE FROM deliveries; DELETE FROM applications; DELETE FROM tokens; DELETE FROM settings; DELETE FROM event_types; DELETE FROM idempotency_keys;
      ALTER SEQUENCE message_seq RESTART;
      COMMIT`);
  } finally {
    await client.end();
  }
}

/** One statement on a throwaway connection (not the store's pool). */
export async function rawQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export function openPgStore(url: string, box = SecretBox.random(), poolSize?: number): PostgresStore {
  return new PostgresStore({ url, secretBox: box, poolSize });
}

/** Resolves when `predicate` holds, polling; rejects after `timeoutMs` (generous: a signal, not a timing assertion). */
export async function eventually(predicate: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
