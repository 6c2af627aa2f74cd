import { after, afterEach, before, beforeEach } from 'node:test';
import pg from 'pg';
import { SecretBox } from '../../../src/domain/secret-box.js';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js';

/**
 * Test helpers for the PostgreSQL adapter (used by the postgres-*.test.ts files; not part of
 * the runtime). One database per test file (test/support/postgres.ts); each test gets the same
 * schema emptied.
 */

/** Empty every table and restart the seq, keeping the schema. DELETE, not TRUNCATE: on tables
 * this small it is ~10× faster (TRUNCATE swaps and fsyncs every file). Deliveries and attempts
 * have no foreign key; deleting applications cascades to the rest. */
export async function truncateAll(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`BEGIN;
      DELETE FROM deliveries; DELETE FROM attempts; DELETE FROM applications; DELETE FROM tokens; DELETE FROM settings; DELETE FROM event_types; DELETE FROM idempotency_keys; DELETE FROM job_runs; DELETE FROM listen_channels;
      ALTER SEQUENCE message_seq RESTART;
      COMMIT`);
  } finally {
    await client.end();
  }
}

/** One statement on a throwaway connection (not the store's pool). */
export async function rawQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
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
export async function eventually(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Two stores on one database of their own = two "processes" (each its own pool, LISTEN session
 * and backend PIDs), with the hooks registered in the calling describe(): the database is
 * created (`create`: test/support/postgres.ts, outside this build's root) before the suite and
 * dropped after it; before each test both stores open on the
 * schema emptied, and they close after it.
 */
export function twoProcesses(create: () => Promise<{ url: string; drop: () => Promise<void> }>) {
  const ctx = {
    url: '',
    box: SecretBox.random(),
    a: undefined as unknown as PostgresStore,
    b: undefined as unknown as PostgresStore,
  };
  let drop: () => Promise<void> = async () => {};
  before(async () => {
    ({ url: ctx.url, drop } = await create());
  });
  after(async () => {
    await drop();
  });
  beforeEach(async () => {
    ctx.a = openPgStore(ctx.url, ctx.box);
    ctx.b = openPgStore(ctx.url, ctx.box);
    await Promise.all([ctx.a.migrate(), ctx.b.migrate()]);
    await truncateAll(ctx.url);
  });
  afterEach(async () => {
    await Promise.all([ctx.a.close(), ctx.b.close()]);
  });
  return ctx;
}
