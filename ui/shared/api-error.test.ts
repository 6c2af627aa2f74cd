import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from './api-error.js';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('ApiError.from', () => {
  test('a 422 with a detail list: each issue at its field (loc without "body"), and a summary', async () => {
    const error = await ApiError.from(
      json(422, {
        detail: [
          { loc: ['body', 'url'], msg: 'Not a valid URL', type: 'value_error' },
          { loc: ['body', 'filterTypes', 0], msg: 'Unknown event type', type: 'value_error' },
          { loc: ['body'], msg: 'Unexpected property', type: 'value_error' },
          { loc: ['body', 'rateLimit'], type: 'value_error' },
        ],
      }),
    );
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 422);
    assert.equal(error.code, 'validation');
    assert.deepEqual(error.fieldErrors, [
      { field: 'url', message: 'Not a valid URL' },
      { field: 'filterTypes.0', message: 'Unknown event type' },
      { field: '', message: 'Unexpected property' },
      { field: 'rateLimit', message: 'Invalid value' },
    ]);
    assert.equal(
      error.detail,
      'url: Not a valid URL; filterTypes.0: Unknown event type; Unexpected property; rateLimit: Invalid value',
    );
    assert.equal(error.message, error.detail);
  });

  test('an empty detail list still says something', async () => {
    const error = await ApiError.from(json(422, { detail: [] }));
    assert.equal(error.detail, 'Some values are not valid.');
    assert.deepEqual(error.fieldErrors, []);
  });

  test('a {code, detail} error keeps both', async () => {
    const error = await ApiError.from(json(409, { code: 'conflict', detail: 'An application with this UID exists.' }));
    assert.deepEqual(
      [error.status, error.code, error.detail, error.fieldErrors],
      [409, 'conflict', 'An application with this UID exists.', []],
    );
  });

  test('a body that is not JSON, or lacks the fields, is named by its status', async () => {
    const text = await ApiError.from(new Response('<html>Bad gateway</html>', { status: 502 }));
    assert.deepEqual([text.status, text.code, text.detail], [502, 'http_502', 'The server answered 502.']);
    const other = await ApiError.from(json(404, { message: 'nope', code: 7 }));
    assert.deepEqual([other.code, other.detail], ['http_404', 'The server answered 404.']);
  });

  test('the response body stays readable', async () => {
    const response = json(400, { code: 'bad_request', detail: 'No.' });
    await ApiError.from(response);
    assert.deepEqual(await response.json(), { code: 'bad_request', detail: 'No.' });
  });
});

test('retryable: no answer, 429 and 5xx; not other 4xx', () => {
  const retryable = (status: number) => new ApiError(status, 'x', 'x').retryable;
  assert.deepEqual([0, 429, 500, 503].map(retryable), [true, true, true, true]);
  assert.deepEqual([400, 401, 404, 422].map(retryable), [false, false, false, false]);
});

test('an ApiError is an Error named ApiError', () => {
  const error = new ApiError(404, 'not_found', 'Endpoint not found.');
  assert.ok(error instanceof Error);
  assert.equal(error.name, 'ApiError');
  assert.equal(error.message, 'Endpoint not found.');
  assert.deepEqual(error.fieldErrors, []);
});
