import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from './api-harness.js';

describe('idempotency-key', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Acme', uid: 'acme' } });
  });
  after(async () => {
    await h.close();
  });

  const post = (key: string, payload: object, token?: string) =>
    h.call({ method: 'POST', url: '/api/v1/app/acme/msg', payload, headers: { 'idempotency-key': key }, token });

  it('replays the first response for the same key: same status and body, one message stored', async () => {
    const first = await post('k1', { eventType: 'a.b', payload: { n: 1 } });
    assert.equal(first.statusCode, 202);
    const second = await post('k1', { eventType: 'a.b', payload: { n: 2 } });
    assert.equal(second.statusCode, 202);
    assert.equal(second.body, first.body);
    assert.equal(second.headers['idempotent-replayed'], 'true');
    const list = (await h.call({ method: 'GET', url: '/api/v1/app/acme/msg' })).json();
    assert.equal(list.data.length, 1);
  });

  it('a different key, or the same key from another token, runs again', async () => {
    const other = await post('k2', { eventType: 'a.b', payload: {} });
    assert.equal(other.headers['idempotent-replayed'], undefined);
    const portal = (await h.call({ method: 'POST', url: '/api/v1/auth/app-portal-access/acme', payload: {} })).json()
      .token;
    const scoped = await post('k1', { eventType: 'a.b', payload: {} }, portal);
    assert.equal(scoped.statusCode, 202);
    assert.equal(scoped.headers['idempotent-replayed'], undefined);
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/app/acme/msg' })).json().data.length, 3);
  });

  it('errors are not stored: a failed request can be retried with the same key', async () => {
    const bad = await h.call({
      method: 'POST',
      url: '/api/v1/app',
      payload: { name: 'Dup', uid: 'acme' },
      headers: { 'idempotency-key': 'k3' },
    });
    assert.equal(bad.statusCode, 409);
    const good = await h.call({
      method: 'POST',
      url: '/api/v1/app',
      payload: { name: 'New', uid: 'fresh' },
      headers: { 'idempotency-key': 'k3' },
    });
    assert.equal(good.statusCode, 201);
    const replay = await h.call({
      method: 'POST',
      url: '/api/v1/app',
      payload: { name: 'New', uid: 'fresh' },
      headers: { 'idempotency-key': 'k3' },
    });
    assert.equal(replay.statusCode, 201);
    assert.equal(replay.json().id, good.json().id);
  });

  it('replays 204 responses (rotate secret) without rotating again', async () => {
    const ep = (
      await h.call({ method: 'POST', url: '/api/v1/app/acme/endpoint', payload: { url: 'https://example.com/x' } })
    ).json();
    const url = `/api/v1/app/acme/endpoint/${ep.id}/secret/rotate`;
    assert.equal(
      (await h.call({ method: 'POST', url, payload: {}, headers: { 'idempotency-key': 'rot' } })).statusCode,
      204,
    );
    const key = (await h.call({ method: 'GET', url: `/api/v1/app/acme/endpoint/${ep.id}/secret` })).json().key;
    const again = await h.call({ method: 'POST', url, payload: {}, headers: { 'idempotency-key': 'rot' } });
    assert.equal(again.statusCode, 204);
    assert.equal((await h.call({ method: 'GET', url: `/api/v1/app/acme/endpoint/${ep.id}/secret` })).json().key, key);
  });
});
