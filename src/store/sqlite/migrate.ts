import type Database from 'better-sqlite3';
import { StoreUnavailableError } from '../../errors.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

/**
 * Apply pending migrations, each in its own IMMEDIATE transaction (which takes the write lock
 * first), re-checking inside it so two processes migrating at once apply each step once.
 * Idempotent. Refuses a database written by a newer Hookrelay (unknown migrations).
 * `migrations` is every migration but in tests that build a database as an older release left it.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const latest = (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  const known = migrations[migrations.length - 1]?.version ?? 0;
  if (latest > known) {
    throw new StoreUnavailableError(
      `The database schema is at version ${latest}, newer than this Hookrelay knows (${known}); upgrade Hookrelay.`,
    );
  }
  for (const m of migrations) {
    if (isApplied.get(m.version)) continue;
    db.transaction(() => {
      if (isApplied.get(m.version)) return;
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
    }).immediate();
  }
}

/** Versions applied so far, ascending (tests, `hookrelay migrate` output). */
export function appliedMigrations(db: Database.Database): number[] {
  return db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all() as number[];
}
