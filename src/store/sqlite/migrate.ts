import type Database from 'better-sqlite3';
import { refuseNewerSchema } from '../schema-version.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

/**
 * Applies pending migrations. Each runs in an IMMEDIATE transaction that checks again once it
 * holds the write lock, so two processes migrating at once apply each migration once. A schema
 * that a newer Hookrelay wrote is refused. Tests pass fewer `migrations` to build an older database.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  refuseNewerSchema(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[], migrations);
  for (const m of migrations) {
    if (isApplied.get(m.version)) continue;
    db.transaction(() => {
      if (isApplied.get(m.version)) return;
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
    }).immediate();
  }
}
