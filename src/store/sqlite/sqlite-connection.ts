import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreUnavailableError } from '../../errors.js';
import type { SecretCodec } from '../secret-codec.js';
import { sqliteCatalogContext } from './catalog-values.js';
import type { SqliteContext } from './sqlite-context.js';
import { translateSqliteError } from './sqlite-errors.js';

/** The store's one connection (WAL, the asked durability, foreign keys on) and the context its steps run with. */
export function openSqliteConnection(
  file: string,
  synchronous: 'FULL' | 'NORMAL',
  secrets: SecretCodec,
): { db: Database.Database; ctx: SqliteContext } {
  let db: Database.Database;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
  } catch (err) {
    // Name the file: "unable to open database file" alone does not tell an operator which one.
    const mapped = translateSqliteError(err);
    if (mapped instanceof StoreUnavailableError) {
      throw new StoreUnavailableError(`${mapped.message} — ${file} (is its directory writable by this user?)`, {
        cause: err,
      });
    }
    throw mapped;
  }
  const cache = new Map<string, Database.Statement>();
  const ctx: SqliteContext = {
    db,
    secrets,
    catalog: sqliteCatalogContext(secrets),
    relaxed(fn) {
      if (synchronous === 'NORMAL') return fn();
      this.stmt('PRAGMA synchronous = NORMAL').run();
      try {
        return fn();
      } finally {
        this.stmt('PRAGMA synchronous = FULL').run();
      }
    },
    stmt(sql) {
      let s = cache.get(sql);
      if (!s) {
        s = db.prepare(sql);
        cache.set(sql, s);
      }
      return s;
    },
  };
  return { db, ctx };
}
