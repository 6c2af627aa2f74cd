import { LOCK_MIGRATE } from './advisory-locks.js';
import type { Db } from './db.js';
import { mapPgError } from './errors.js';
import { MIGRATIONS } from './migrations/index.js';
import { refuseNewerSchema } from '../schema-version.js';

/**
 * Applies pending migrations. Each runs in one transaction with its `schema_migrations` row, so a
 * failure leaves the previous version. The run holds a session-level advisory lock, so replicas
 * that start together wait for it and then find nothing left to apply. A schema that a newer
 * Hookrelay wrote is refused.
 */
export async function migrate(db: Db): Promise<void> {
  const { client, release } = await db.checkout();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_MIGRATE]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at bigint NOT NULL
    )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    refuseNewerSchema(done, MIGRATIONS);
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          Date.now(),
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      }
    }
  } catch (err) {
    throw mapPgError(err);
  } finally {
    // The session is closed, never pooled: its lock goes with it, whether or not the run failed.
    release(undefined, true);
  }
}
