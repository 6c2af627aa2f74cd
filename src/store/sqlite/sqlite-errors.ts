import { ConflictError, StoreUnavailableError } from '../../errors.js';

/** What each UNIQUE constraint means to a caller (SQLite names it `table.column[, table.column]`). */
const CONFLICTS: Array<[RegExp, string]> = [
  [/applications\.uid/, 'An application with this uid already exists.'],
  [/endpoints\.app_id, endpoints\.uid/, 'An endpoint with this uid already exists in this application.'],
  [/event_types\.name/, 'An event type with this name already exists.'],
  [/messages\.app_id, messages\.event_id/, 'A message with this eventId already exists in this application.'],
  [/tokens\.hash/, 'This token already exists.'],
];

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
    const found = CONFLICTS.find(([re]) => re.test(err.message));
    const conflict = new ConflictError(
      found ? found[1] : `Conflict: ${err.message.replace(/^UNIQUE constraint failed: /, '')} is already taken.`,
    );
    (conflict as { cause?: unknown }).cause = err;
    return conflict;
  }
  if (UNAVAILABLE.test(code))
    return new StoreUnavailableError(`SQLite is unavailable (${code}): ${err.message}`, { cause: err });
  return err;
}
