import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { CAPABILITIES } from '../../src/domain/capabilities.js';
import { exchange, portalAccess } from '../support/portal-login.js';
import { harness, type Harness } from './api-harness.js';

/** app-portal-access → link with a one-time key → exchange for a session (docs/api.md, "Portal login"). */
describe('portal login: access, one-time key, session', () => {
  let h: Harness;
  let appId: string;
  before(async () => {
    h = await harness();
    appId = (await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Acme', uid: 'acme' } })).json().id;
  });
  after(async () => {
    await h.close();
  });

  it('links to /portal/?app=<id> with the key only in the fragment, and the key opens a session once', async () => {
    const before = Date.now();
    const login = await portalAccess(h.call, 'acme', {
      capabilities: ['ViewBase', 'CreateAttempts'],
      sessionId: 'user_1',
      expiry: 7200,
    });
    const url = new URL(login.url);
    assert.equal(`${url.origin}${url.pathname}${url.search}`, `http://hookrelay.test/portal/?app=${appId}`);
    assert.match(login.key, /^hrlk_/);
    assert.ok(!login.url.includes(login.accessToken), 'the bearer token is not in the link');

    const res = await exchange(h.call, login.key);
    assert.equal(res.statusCode, 200);
    const session = res.json();
    assert.match(session.token, /^appsk_/);
    assert.notEqual(session.token, login.accessToken, 'the session is a bearer of its own');
    assert.deepEqual(session.capabilities, ['ViewBase', 'CreateAttempts']);
    assert.equal(session.appId, appId);
    const ends = Date.parse(session.expiresAt);
    assert.ok(ends >= before + 7200_000 && ends <= Date.now() + 7200_000, "the session ends with the access's expiry");

    const whoami = (await h.call({ method: 'GET', url: '/api/v1/auth/whoami', token: session.token })).json();
    assert.deepEqual(
      [whoami.appId, whoami.sessionId, whoami.capabilities],
      [appId, 'user_1', ['ViewBase', 'CreateAttempts']],
    );
    assert.equal(
      (await h.call({ method: 'GET', url: '/api/v1/app/acme/endpoint', token: session.token })).statusCode,
      200,
    );

    const again = await exchange(h.call, login.key);
    assert.equal(again.statusCode, 401);
    assert.equal(again.json().code, 'login_link_used');
  });

  it('gives a session every capability when the access named none', async () => {
    const { key } = await portalAccess(h.call, appId);
    const session = (await exchange(h.call, key)).json();
    assert.deepEqual(session.capabilities, [...CAPABILITIES]);
    assert.equal(
      (
        await h.call({
          method: 'POST',
          url: '/api/v1/app/acme/msg',
          token: session.token,
          payload: { eventType: 'x.y', payload: {} },
        })
      ).statusCode,
      202,
    );
  });

  it('lets one of two racing exchanges of a key win', async () => {
    const { key } = await portalAccess(h.call, appId);
    const results = await Promise.all([exchange(h.call, key), exchange(h.call, key)]);
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 401]);
    assert.equal(results.find((r) => r.statusCode === 401)!.json().code, 'login_link_used');
  });

  it('refuses an unknown key as authentication_failed, and never takes a key as a bearer token', async () => {
    const unknown = await exchange(h.call, 'hrlk_not-a-key');
    assert.equal(unknown.statusCode, 401);
    assert.equal(unknown.json().code, 'authentication_failed');
    const { key, accessToken } = await portalAccess(h.call, appId);
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/app/acme', token: key })).statusCode, 401);
    assert.equal(
      (await exchange(h.call, accessToken)).json().code,
      'authentication_failed',
      'a bearer token is not a login key',
    );
    assert.equal(
      (await h.call({ method: 'POST', url: '/api/v1/auth/one-time-token', token: null, payload: {} })).statusCode,
      422,
    );
  });

  it('readOnly (deprecated) is capabilities [ViewBase]', async () => {
    const { key } = await portalAccess(h.call, appId, { readOnly: true, capabilities: ['ViewBase', 'ManageEndpoint'] });
    const session = (await exchange(h.call, key)).json();
    assert.deepEqual(session.capabilities, ['ViewBase']);
  });

  it('validates the access request as Svix does', async () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ capabilities: ['ManageEndpoint'] }, 'capabilities'],
      [{ capabilities: ['ViewBase', 'Nonsense'] }, 'capabilities'],
      [{ capabilities: ['ViewBase', 'ViewBase'] }, 'capabilities'],
      [{ expiry: 3599 }, 'expiry'],
      [{ expiry: 604801 }, 'expiry'],
      [{ sessionId: 'has space' }, 'sessionId'],
      [{ sessionId: 'x'.repeat(65) }, 'sessionId'],
      [{ featureFlags: Array.from({ length: 26 }, (_, i) => `f${i}`) }, 'featureFlags'],
    ];
    for (const [payload, field] of bad) {
      const res = await h.call({ method: 'POST', url: `/api/v1/auth/app-portal-access/${appId}`, payload });
      assert.equal(res.statusCode, 422, JSON.stringify(payload));
      assert.equal(res.json().detail[0].loc[1], field, JSON.stringify(res.json()));
    }
    const missingViewBase = await h.call({
      method: 'POST',
      url: `/api/v1/auth/app-portal-access/${appId}`,
      payload: { capabilities: ['ManageEndpoint'] },
    });
    assert.match(missingViewBase.json().detail[0].msg, /ViewBase/);
  });

  it('the access token carries the same capabilities as the session', async () => {
    const { accessToken } = await portalAccess(h.call, appId, { capabilities: ['ViewBase'] });
    const res = await h.call({
      method: 'POST',
      url: '/api/v1/app/acme/endpoint',
      token: accessToken,
      payload: { url: 'https://receiver.example/hook' },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'insufficient_capability');
  });
});

describe('portal login links expire after HOOKRELAY_PORTAL_LINK_TTL_SECONDS', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ portalLinkTtlSeconds: 1 });
    await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Acme', uid: 'acme' } });
  });
  after(async () => {
    await h.close();
  });

  it('refuses a key past the link lifetime as login_link_expired, while the access token still works', async () => {
    const { key, accessToken } = await portalAccess(h.call, 'acme');
    await sleep(1100);
    const res = await exchange(h.call, key);
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().code, 'login_link_expired');
    assert.equal(
      (await h.call({ method: 'GET', url: '/api/v1/app/acme', token: accessToken })).statusCode,
      200,
      'only the link is short-lived',
    );
  });
});
