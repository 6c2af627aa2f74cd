import pg from 'pg';
import { SecretBox } from '../../domain/secret-box.js';
import { PostgresStore } from './postgres-store.js';

/**
 * Test helpers for the PostgreSQL adapter (used by postgres-store.test.ts and
 * postgres-concurrency.test.ts; not part of the runtime). One database per test file
 * (test/support/postgres.ts); each test gets the same schema emptied.
 */

const TABLES = ['settings', 'applications', 'event_types', 'endpoints', 'messages', 'deliveries', 'attempts', 'tokens',
  'idempotency_keys', 'consumer_offsets'];

/** Empty every table and restart the seq, keeping the schema (faster than a database per test). */
export async function truncateAll(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`TRUNCATE ${TABLES.join(', ')} CASCADE`);
    await client.query('ALTER SEQUENCE message_seq RESTART');
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
