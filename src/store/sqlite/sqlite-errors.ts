import { StoreUnavailableError } from '../../errors.js';
import { uniqueKeyConflict } from '../unique-keys.js';

/** Result codes that mean "the database cannot take writes / cannot be reached" rather than a bug. */
const UNAVAILABLE = /^SQLITE_(FULL|READONLY|CANTOPEN|IOERR|BUSY|LOCKED|NOTADB|CORRUPT|PROTOCOL)/;

/** Turn a better-sqlite3 error into our hierarchy; anything unrecognised is returned as is (a bug). */
export function translateSqliteError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') {
    if (err instanceof TypeError && /database connection is not open/.test(err.message)) {
      return new StoreUnavailableError('The SQLite database is closed.', { cause: err });
    }
    return err;
  }
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    // "UNIQUE constraint failed: endpoints.app_id, endpoints.uid" → "endpoints (app_id, uid)"
    const columns = err.message.replace(/^UNIQUE constraint failed: /, '').split(', ');
    const table = columns[0].split('.')[0];
    return uniqueKeyConflict(`${table} (${columns.map((c) => c.slice(table.length + 1)).join(', ')})`, err);
  }
  if (UNAVAILABLE.test(code))
    return new StoreUnavailableError(`SQLite is unavailable (${code}): ${err.message}`, { cause: err });
  return err;
}
