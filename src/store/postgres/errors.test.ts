import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestError, ConflictError, StoreUnavailableError } from '../../errors.js';
import { isConnectionError, mapPgError } from './errors.js';

/** The error mapping as a pure function (the live cases run in the PostgreSQL test files). */
const pgError = (message: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(message), fields);

describe('mapPgError', () => {
  it('turns unique violations into ConflictError, naming the taken key by its table and columns', () => {
    const err = mapPgError(
      pgError('duplicate key', {
        code: '23505',
        table: 'endpoints',
        constraint: 'endpoints_app_id_uid_key',
        detail: 'Key (app_id, uid)=(app_1, hook) already exists.',
      }),
    );
    assert.ok(err instanceof ConflictError);
    assert.equal(err.message, 'An endpoint with this uid already exists in this application.');
    const other = mapPgError(pgError('duplicate key', { code: '23505', constraint: 'something_else' }));
    assert.ok(other instanceof ConflictError);
    assert.match(other.message, /something_else/);
  });

  it('turns every way of "the database is not there" into StoreUnavailableError, keeping the cause', () => {
    const cases = [
      pgError('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' }),
      pgError('read ECONNRESET', { code: 'ECONNRESET' }),
      pgError('terminating connection due to administrator command', { code: '57P01' }),
      pgError('the database system is starting up', { code: '57P03' }),
      pgError('connection failure', { code: '08006' }),
      pgError('could not connect', { code: '08001' }),
      pgError('sorry, too many clients already', { code: '53300' }),
      pgError('timeout exceeded when trying to connect'),
      pgError('Connection terminated unexpectedly'),
      new AggregateError([pgError('connect ECONNREFUSED ::1:5432', { code: 'ECONNREFUSED' })], ''),
    ];
    for (const c of cases) {
      const err = mapPgError(c);
      assert.ok(err instanceof StoreUnavailableError, c.message);
      assert.equal(err.cause, c);
      assert.equal(err.status, 503);
    }
  });

  it('turns strings PostgreSQL cannot store into a 400 unstorable_string, keeping the cause', () => {
    for (const c of [
      pgError('invalid byte sequence for encoding "UTF8": 0x00', { code: '22021' }),
      pgError('unsupported Unicode escape sequence', { code: '22P05' }),
    ]) {
      const err = mapPgError(c);
      assert.ok(err instanceof BadRequestError, c.message);
      assert.equal(err.code, 'unstorable_string');
      assert.equal(err.status, 400);
      assert.equal(err.cause, c);
    }
  });

  it('passes statement errors and our own errors through unchanged', () => {
    const syntax = pgError('syntax error at or near "SELEC"', { code: '42601' });
    assert.equal(mapPgError(syntax), syntax);
    const fk = pgError('violates foreign key constraint', { code: '23503' });
    assert.equal(mapPgError(fk), fk);
    const ours = new ConflictError('x');
    assert.equal(mapPgError(ours), ours);
    assert.equal(isConnectionError('a string'), false);
  });
});
