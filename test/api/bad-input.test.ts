import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from './api-harness.js';

/** Every class of bad input gets a 4xx with the documented body shape — never a 5xx. */
describe('bad input', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ maxPayloadBytes: 4096 });
    await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Acme', uid: 'acme' } });
  });
  after(async () => {
    await h.close();
  });

  function assertError(res: { statusCode: number; json: () => unknown }, status: number, code: string) {
    assert.equal(res.statusCode, status);
    const body = res.json() as { code: string; detail: string };
    assert.equal(body.code, code);
    assert.equal(typeof body.detail, 'string');
  }

  it('malformed JSON → 400 invalid_json; empty JSON body → 400 invalid_json', async () => {
    assertError(
      await h.call({
        method: 'POST',
        url: '/api/v1/app',
        payload: '{"name":',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'invalid_json',
    );
    assertError(
      await h.call({
        method: 'POST',
        url: '/api/v1/app',
        payload: '',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'invalid_json',
    );
  });

  it('a JSON content type with no body is accepted where the route takes no body or an optional one', async () => {
    const json = { 'content-type': 'application/json' };
    assert.equal(
      (await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Empty', uid: 'empty-body' } })).statusCode,
      201,
    );
    assert.equal(
      (await h.call({ method: 'GET', url: '/api/v1/app/empty-body', payload: '', headers: json })).statusCode,
      200,
    );
    assert.equal(
      (await h.call({ method: 'DELETE', url: '/api/v1/app/empty-body', payload: '', headers: json })).statusCode,
      204,
    );
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/app/empty-body' })).statusCode, 404);
  });

  it("wrong content type → 415 unsupported_media_type naming the request's content type", async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await h.call({
        method: 'POST',
        url: '/api/v1/app',
        payload: 'name=x',
        headers: { 'content-type': type },
      });
      assertError(res, 415, 'unsupported_media_type');
      assert.equal(res.json().detail, `Content-Type '${type}' is not supported; send application/json.`);
    }
  });

  it('body over maxPayloadBytes → 413 payload_too_large', async () => {
    const res = await h.call({
      method: 'POST',
      url: '/api/v1/app/acme/msg',
      payload: { eventType: 'a', payload: { big: 'x'.repeat(5000) } },
    });
    assertError(res, 413, 'payload_too_large');
  });

  it('wrong types and missing fields → 422 {detail: [{loc, msg, type}]} with body/query/path locations', async () => {
    const wrong = await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 42 } });
    assert.equal(wrong.statusCode, 422);
    assert.deepEqual(wrong.json(), {
      detail: [{ loc: ['body', 'name'], msg: 'must be string', type: 'type_error.string' }],
    });
    const missing = await h.call({ method: 'POST', url: '/api/v1/app/acme/msg', payload: { payload: {} } });
    assert.equal(missing.statusCode, 422);
    assert.deepEqual(missing.json().detail[0], {
      loc: ['body', 'eventType'],
      msg: 'field required',
      type: 'value_error.missing',
    });
    const nested = await h.call({
      method: 'POST',
      url: '/api/v1/app/acme/msg',
      payload: { eventType: 'a', payload: {}, channels: ['ok', 'bad channel'] },
    });
    assert.deepEqual(nested.json().detail[0].loc, ['body', 'channels', 1]);
    const arrayPayload = await h.call({
      method: 'POST',
      url: '/api/v1/app/acme/msg',
      payload: { eventType: 'a', payload: [1] },
    });
    assert.equal(arrayPayload.statusCode, 422);
    const query = await h.call({ method: 'GET', url: '/api/v1/app?limit=1000' });
    assert.equal(query.statusCode, 422);
    assert.deepEqual(query.json().detail[0].loc, ['query', 'limit']);
    const notANumber = await h.call({ method: 'GET', url: '/api/v1/app?limit=abc' });
    assert.equal(notANumber.statusCode, 422);
    const badDate = await h.call({ method: 'GET', url: '/api/v1/app/acme/msg?before=yesterday' });
    assert.equal(badDate.statusCode, 422);
    const badOrder = await h.call({ method: 'GET', url: '/api/v1/app?order=sideways' });
    assert.equal(badOrder.statusCode, 422);
    const jsonString = await h.call({
      method: 'POST',
      url: '/api/v1/app',
      payload: '"just a string"',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(jsonString.statusCode, 422);
  });

  it('unknown IDs → 404 not_found, for every kind of path parameter', async () => {
    for (const url of [
      '/api/v1/app/app_nope',
      '/api/v1/app/acme/endpoint/ep_nope',
      '/api/v1/app/acme/msg/msg_nope',
      '/api/v1/app/acme/msg/msg_nope/attempt/atmpt_x',
      '/api/v1/event-type/nope',
      '/api/v1/app/acme/attempt/endpoint/ep_nope',
      '/api/v1/app/acme/attempt/msg/nope',
    ]) {
      assertError(await h.call({ method: 'GET', url }), 404, 'not_found');
    }
  });

  it('unknown route → 404 not_found', async () => {
    assertError(await h.call({ method: 'GET', url: '/api/v1/nothing-here' }), 404, 'not_found');
    assertError(await h.call({ method: 'POST', url: '/api/v1/health' }), 404, 'not_found');
  });

  it('bad iterator → 400 invalid_iterator, for each resource', async () => {
    for (const url of [
      '/api/v1/app?iterator=ep_123',
      '/api/v1/app/acme/endpoint?iterator=app_123',
      '/api/v1/app/acme/msg?iterator=%27%3B--',
      '/api/v1/app/acme/msg?iterator=-',
      '/api/v1/app/acme/attempt/endpoint/x?iterator=zzz',
    ]) {
      const res = await h.call({ method: 'GET', url });
      if (url.includes('/attempt/endpoint/x')) {
        assert.ok([400, 404].includes(res.statusCode));
        continue;
      }
      assertError(res, 400, 'invalid_iterator');
    }
    assert.equal(
      (await h.call({ method: 'GET', url: '/api/v1/app?iterator=-app_2XyZ' })).statusCode,
      200,
      'a well-formed prevIterator is fine',
    );
  });

  it('router-level errors use the same shapes: over-long parameter → 404, bad URL encoding → 400', async () => {
    assertError(await h.call({ method: 'GET', url: `/api/v1/app/${'a'.repeat(2000)}` }), 404, 'not_found');
    assertError(await h.call({ method: 'GET', url: '/api/v1/app/%E0%A4%A' }), 400, 'bad_request');
  });

  it('missing or invalid token → 401 authentication_failed', async () => {
    assertError(await h.call({ method: 'GET', url: '/api/v1/app', token: null }), 401, 'authentication_failed');
    assertError(await h.call({ method: 'GET', url: '/api/v1/app', token: 'wrong' }), 401, 'authentication_failed');
    assertError(
      await h.call({ method: 'GET', url: '/api/v1/app', headers: { authorization: 'Basic abc' } }),
      401,
      'authentication_failed',
    );
  });
});
