import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../shared/api-error.js';
import { formLevelError, groupFieldErrors, topLevelField } from './field-errors.js';

const validation = new ApiError(422, 'validation', 'summary', [
  { field: 'name', message: 'Too long.' },
  { field: 'name', message: 'Bad characters.' },
  { field: 'uid.0', message: 'Taken.' },
  { field: 'metadata.team', message: 'Not allowed.' },
  { field: '', message: 'Body invalid.' },
]);

test("topLevelField: the loc's first segment when it is one of the names", () => {
  const fieldOf = topLevelField(['name', 'uid'] as const);
  assert.equal(fieldOf('name'), 'name');
  assert.equal(fieldOf('uid.0'), 'uid');
  assert.equal(fieldOf('metadata.name'), null);
  assert.equal(fieldOf(''), null);
});

describe('groupFieldErrors', () => {
  test('joins the messages of a field; the others go to the rest, with their loc', () => {
    assert.deepEqual(groupFieldErrors(validation, topLevelField(['name', 'uid'] as const)), {
      fields: { name: 'Too long. Bad characters.', uid: 'Taken.' },
      rest: ['metadata.team: Not allowed.', 'Body invalid.'],
    });
  });

  test('anything but an ApiError has no field errors', () => {
    assert.deepEqual(groupFieldErrors(new Error('network'), topLevelField(['name'])), { fields: {}, rest: [] });
    assert.deepEqual(groupFieldErrors(null, topLevelField(['name'])), { fields: {}, rest: [] });
  });
});

describe('formLevelError', () => {
  test('an error without field errors is shown as it is', () => {
    const plain = new Error('offline');
    const conflict = new ApiError(409, 'conflict', 'UID taken.');
    assert.equal(formLevelError(plain, []), plain);
    assert.equal(formLevelError(conflict, []), conflict);
    assert.equal(formLevelError(null, []), null);
  });

  test('a 422 whose issues all sit at fields shows nothing more', () => {
    assert.equal(formLevelError(validation, []), null);
  });

  test('a 422 with issues left over shows those alone, keeping status and code', () => {
    const error = formLevelError(validation, ['metadata.team: Not allowed.', 'Body invalid.']);
    assert.ok(error instanceof ApiError);
    assert.deepEqual(
      [error.status, error.code, error.detail, error.fieldErrors],
      [422, 'validation', 'metadata.team: Not allowed.; Body invalid.', []],
    );
  });
});
