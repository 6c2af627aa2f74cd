import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sha256Hex } from '../../src/api/auth.js';
import { CAPABILITIES } from '../../src/domain/capabilities.js';
import { newId } from '../../src/ids.js';
import { portalAccess, portalSession, exchange } from '../support/portal-login.js';
import { harness, type Harness } from './api-harness.js';

/** whoami, logout and expire-all. */
describe('sessions: whoami, logout, expire-all', () => {
  let h: Harness;
  let appId: string;
  const works = async (token: string) =>
    (await h.call({ method: 'GET', url: '/api/v1/app/acme', token })).statusCode === 200;

  before(async () => {
    h = await harness();
    appId = (await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Acme', uid: 'acme' } })).json().id;
    await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Other', uid: 'other' } });
  });
  after(async () => {
    await h.close();
  });

  it('whoami describes the admin token, an app token and a portal session', async () => {
    const admin = await h.call({ method: 'GET', url: '/api/v1/auth/whoami' });
    assert.equal(admin.statusCode, 200);
    assert.deepEqual(admin.json(), {
      envId: null,
      appId: null,
      permissionSource: 'GlobalAuthToken',
      sessionId: null,
      capabilities: [...CAPABILITIES],
      expiresAt: null,
      admin: true,
    });
    const session = await portalSession(h.call, 'acme', { capabilities: ['ViewBase'], sessionId: 'user_9' });
    const me = (await h.call({ method: 'GET', url: '/api/v1/auth/whoami', token: session })).json();
    assert.deepEqual(
      { ...me, expiresAt: typeof me.expiresAt },
      {
        envId: null,
        appId,
        permissionSource: 'SvixJwt',
        sessionId: 'user_9',
        capabilities: ['ViewBase'],
        expiresAt: 'string',
        admin: false,
      },
    );
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/auth/whoami', token: null })).statusCode, 401);
  });

  it('logout ends the presented session at once, and only it', async () => {
    const one = await portalSession(h.call, 'acme');
    const two = await portalSession(h.call, 'acme');
    const res = await h.call({ method: 'POST', url: '/api/v1/auth/logout', token: one });
    assert.equal(res.statusCode, 204);
    assert.equal(await works(one), false);
    assert.equal((await h.call({ method: 'POST', url: '/api/v1/auth/logout', token: one })).statusCode, 401);
    assert.equal(await works(two), true);
  });

  it('a ViewBase session and a stored admin token may log out; the configured admin token may not', async () => {
    const viewer = await portalSession(h.call, 'acme', { capabilities: ['ViewBase'] });
    assert.equal((await h.call({ method: 'POST', url: '/api/v1/auth/logout', token: viewer })).statusCode, 204);
    const storedAdmin = 'hr_admin_stored_for_logout';
    await h.store.createToken({
      id: newId('token'),
      hash: sha256Hex(storedAdmin),
      appId: null,
      expiresAt: null,
      now: Date.now(),
    });
    assert.equal((await h.call({ method: 'POST', url: '/api/v1/auth/logout', token: storedAdmin })).statusCode, 204);
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/app', token: storedAdmin })).statusCode, 401);

    const res = await h.call({ method: 'POST', url: '/api/v1/auth/logout' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'not_a_session');
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/app' })).statusCode, 200, 'the admin token still works');
  });

  it('expire-all with sessionIds ends only the matching sessions, tokens and unused links', async () => {
    const alice = await portalSession(h.call, 'acme', { sessionId: 'alice' });
    const aliceAccess = await portalAccess(h.call, 'acme', { sessionId: 'alice' });
    const bob = await portalSession(h.call, 'acme', { sessionId: 'bob' });
    const unlabelled = await portalSession(h.call, 'acme');
    const otherAlice = await portalSession(h.call, 'other', { sessionId: 'alice' });

    const res = await h.call({
      method: 'POST',
      url: '/api/v1/auth/app/acme/expire-all',
      payload: { sessionIds: ['alice'] },
    });
    assert.equal(res.statusCode, 204);
    assert.equal(await works(alice), false);
    assert.equal(await works(aliceAccess.accessToken), false);
    assert.equal((await exchange(h.call, aliceAccess.key)).json().code, 'login_link_expired');
    assert.equal(await works(bob), true);
    assert.equal(await works(unlabelled), true);
    assert.equal(
      (await h.call({ method: 'GET', url: '/api/v1/app/other', token: otherAlice })).statusCode,
      200,
      "another app's alice is untouched",
    );
  });

  it('expire-all without sessionIds ends every token of the app, after `expiry` seconds', async () => {
    const later = await portalSession(h.call, 'other');
    const res = await h.call({ method: 'POST', url: `/api/v1/auth/app/other/expire-all`, payload: { expiry: 60 } });
    assert.equal(res.statusCode, 204);
    assert.equal(
      (await h.call({ method: 'GET', url: '/api/v1/app/other', token: later })).statusCode,
      200,
      'still works during the grace period',
    );
    const ends = Date.parse(
      (await h.call({ method: 'GET', url: '/api/v1/auth/whoami', token: later })).json().expiresAt,
    );
    assert.ok(
      Math.abs(ends - (Date.now() + 60_000)) < 5_000,
      `expires in about a minute: ${new Date(ends).toISOString()}`,
    );

    const now = await portalSession(h.call, 'acme');
    assert.equal(
      (await h.call({ method: 'POST', url: '/api/v1/auth/app/acme/expire-all' })).statusCode,
      204,
      'the body may be omitted',
    );
    assert.equal(await works(now), false);
  });

  it('expire-all is admin-only, 404 for an unknown app, and validates its body', async () => {
    const session = await portalSession(h.call, 'acme');
    const refused = await h.call({
      method: 'POST',
      url: '/api/v1/auth/app/acme/expire-all',
      token: session,
      payload: {},
    });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().code, 'insufficient_access');
    assert.equal(
      (await h.call({ method: 'POST', url: '/api/v1/auth/app/ghost/expire-all', payload: {} })).statusCode,
      404,
    );
    for (const payload of [
      { expiry: -1 },
      { expiry: 259201 },
      { sessionIds: ['bad id'] },
      { sessionIds: Array.from({ length: 1001 }, (_, i) => `s${i}`) },
    ]) {
      assert.equal(
        (await h.call({ method: 'POST', url: '/api/v1/auth/app/acme/expire-all', payload })).statusCode,
        422,
        JSON.stringify(payload).slice(0, 80),
      );
    }
  });
});
