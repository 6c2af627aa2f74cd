import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sha256Hex } from '../../src/api/auth.js';
import { newId } from '../../src/ids.js';
import { harness, type Harness } from './api-harness.js';

describe('authentication and app-scoped tokens', () => {
  let h: Harness;
  let token: string;
  let acmeId: string;
  before(async () => {
    h = await harness();
    acmeId = (await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Acme', uid: 'acme' } })).json().id;
    await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Other', uid: 'other' } });
    await h.call({ method: 'POST', url: '/api/v1/event-type', payload: { name: 'user.signup', description: 'd' } });
    const res = await h.call({ method: 'POST', url: '/api/v1/auth/app-portal-access/acme', payload: {} });
    assert.equal(res.statusCode, 200);
    token = res.json().token;
    assert.match(
      res.json().url,
      new RegExp(`^http://hookrelay\\.test/portal/\\?app=${acmeId}#key=hrlk_[A-Za-z0-9_-]{43}$`),
    );
  });
  after(async () => {
    await h.close();
  });

  it('an app token works on its own app, by ID and by uid', async () => {
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/app/acme/endpoint', token })).statusCode, 200);
    assert.equal((await h.call({ method: 'GET', url: `/api/v1/app/${acmeId}`, token })).statusCode, 200);
    assert.equal(
      (
        await h.call({
          method: 'POST',
          url: '/api/v1/app/acme/msg',
          token,
          payload: { eventType: 'user.signup', payload: {} },
        })
      ).statusCode,
      202,
    );
    assert.equal(
      (await h.call({ method: 'GET', url: '/api/v1/event-type', token })).statusCode,
      200,
      'the portal lists event types',
    );
  });

  it('an app token on another app, or on admin routes, is 403 insufficient_access', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/app/other'],
      ['GET', '/api/v1/app/other/endpoint'],
      ['GET', '/api/v1/app/ghost/msg'],
      ['GET', '/api/v1/app'],
      ['POST', '/api/v1/app'],
      ['POST', '/api/v1/event-type'],
      ['DELETE', '/api/v1/app/acme'],
      ['POST', '/api/v1/auth/app-portal-access/acme'],
    ] as const) {
      const res = await h.call({
        method,
        url,
        token,
        payload: method === 'POST' ? { name: 'x', description: 'x' } : undefined,
      });
      assert.equal(res.statusCode, 403, `${method} ${url}`);
      assert.equal(res.json().code, 'insufficient_access');
    }
  });

  it('expired tokens are 401; admin tokens stored in the store work everywhere', async () => {
    const expired = 'appsk_expired';
    await h.store.createToken({
      id: newId('token'),
      hash: sha256Hex(expired),
      appId: acmeId,
      expiresAt: Date.now() - 1000,
      now: Date.now() - 5000,
    });
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/app/acme', token: expired })).statusCode, 401);
    const admin2 = 'second-admin-token';
    await h.store.createToken({
      id: newId('token'),
      hash: sha256Hex(admin2),
      appId: null,
      expiresAt: null,
      now: Date.now(),
    });
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/app', token: admin2 })).statusCode, 200);
  });

  it('portal access creates the app on the fly when `application` is given, else 404', async () => {
    assert.equal(
      (await h.call({ method: 'POST', url: '/api/v1/auth/app-portal-access/newco', payload: {} })).statusCode,
      404,
    );
    const res = await h.call({
      method: 'POST',
      url: '/api/v1/auth/app-portal-access/newco',
      payload: { application: { name: 'NewCo' }, expiry: 3600 },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(
      (await h.call({ method: 'GET', url: '/api/v1/app/newco', token: res.json().token })).json().name,
      'NewCo',
    );
  });

  it('health, the OpenAPI document and the docs page need no token', async () => {
    const health = await h.call({ method: 'GET', url: '/api/v1/health', token: null });
    assert.equal(health.statusCode, 200);
    assert.equal(health.json().database.status, 'ok');
    assert.equal(health.json().queue.status, 'ok');
    assert.match(health.json().queue.information, /^0 deliveries queued/);
    assert.equal((await h.call({ method: 'HEAD', url: '/api/v1/health', token: null })).statusCode, 200);
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/openapi.json', token: null })).statusCode, 200);
    const docs = await h.call({ method: 'GET', url: '/docs/', token: null });
    assert.equal(docs.statusCode, 200);
    assert.match(docs.body, /swagger/i);
  });

  it('health is 503 store_unavailable when the store does not answer', async () => {
    const sick = await harness();
    await sick.store.close();
    const res = await sick.call({ method: 'GET', url: '/api/v1/health', token: null });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().code, 'store_unavailable');
    assert.equal(res.json().database.status, 'error', 'the report names the failing dependency');
    assert.ok(res.json().database.information);
    await sick.close().catch(() => {}); // the store is already closed
  });
});
