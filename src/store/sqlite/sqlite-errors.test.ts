import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConflictError, StoreUnavailableError } from '../../errors.js';
import { translateSqliteError } from './sqlite-errors.js';

/** The error mapping as a pure function (the live cases run in the contract suite). */
const sqliteError = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('translateSqliteError', () => {
  it('names a taken unique key by its table and columns, as PostgreSQL does', () => {
    const err = translateSqliteError(
      sqliteError('UNIQUE constraint failed: endpoints.app_id, endpoints.uid', 'SQLITE_CONSTRAINT_UNIQUE'),
    );
    assert.ok(err instanceof ConflictError);
    assert.equal(err.message, 'An endpoint with this uid already exists in this application.');
    const unlisted = translateSqliteError(
      sqliteError(
        'UNIQUE constraint failed: usage_reports.meter_key, usage_reports.subject',
        'SQLITE_CONSTRAINT_UNIQUE',
      ),
    );
    assert.ok(unlisted instanceof ConflictError);
    assert.equal(unlisted.message, 'A record with this key already exists: usage_reports (meter_key, subject).');
  });

  it('turns a database that cannot be written or opened into StoreUnavailableError, and leaves bugs alone', () => {
    assert.ok(
      translateSqliteError(sqliteError('database or disk is full', 'SQLITE_FULL')) instanceof StoreUnavailableError,
    );
    assert.ok(translateSqliteError(sqliteError('database is locked', 'SQLITE_BUSY')) instanceof StoreUnavailableError);
    const bug = sqliteError('no such column: nope', 'SQLITE_ERROR');
    assert.equal(translateSqliteError(bug), bug);
  });
});
