import assert from 'node:assert/strict';
import { it } from 'node:test';
import { newId } from '../../../src/ids.js';
import type { NewToken, Store } from '../../../src/store/store.js';
import { T0, conflict, mkApp } from './fixtures.js';

/** Overwritable settings; bearer tokens with capabilities and sessions; one-time login keys. */
export function tokensContract(s: () => Store): void {
  const token = (over: Partial<NewToken> & { hash: string }): NewToken => ({
    id: newId('token'),
    appId: null,
    expiresAt: null,
    now: T0,
    ...over,
  });
  const session = () => ({ id: newId('token'), hash: `session-${newId('token')}` });

  it('overwrites and deletes settings', async () => {
    await s().putSetting('environment', '{"a":1}');
    assert.equal(await s().getSetting('environment'), '{"a":1}');
    await s().putSetting('environment', '{"a":2}');
    assert.equal(await s().getSetting('environment'), '{"a":2}');
    await s().putSetting('environment', null);
    assert.equal(await s().getSetting('environment'), null);
    await s().putSetting('environment', null);
    assert.equal(await s().setSettingIfAbsent('environment', 'again'), 'again');
  });

  it('refuses a token whose hash or ID is taken, with the same detail on every store', async () => {
    const first = token({ hash: 'h-taken' });
    await s().createToken(first);
    await assert.rejects(
      s().createToken(token({ hash: 'h-taken' })),
      conflict('A token with this hash already exists.'),
    );
    await assert.rejects(
      s().createToken(token({ id: first.id, hash: 'h-other' })),
      conflict('A token with this id already exists.'),
    );
  });

  it("keeps a token's kind, capabilities and session; admin and CLI tokens default to api with every capability", async () => {
    const app = await mkApp(s());
    const id = newId('token');
    await s().createToken(
      token({
        id,
        hash: 'h-portal',
        appId: app.id,
        expiresAt: T0 + 1000,
        kind: 'portal',
        capabilities: ['ViewBase', 'CreateAttempts'],
        sessionId: 'user_1',
      }),
    );
    assert.deepEqual(await s().findToken('h-portal', T0), {
      id,
      appId: app.id,
      expiresAt: T0 + 1000,
      kind: 'portal',
      capabilities: ['ViewBase', 'CreateAttempts'],
      sessionId: 'user_1',
    });
    await s().createToken(token({ hash: 'h-plain', appId: app.id }));
    const plain = await s().findToken('h-plain', T0);
    assert.deepEqual([plain?.kind, plain?.capabilities, plain?.sessionId], ['api', null, null]);
  });

  it('never answers a login key as a bearer token', async () => {
    const app = await mkApp(s());
    await s().createToken(
      token({ hash: 'h-key', appId: app.id, expiresAt: T0 + 1000, kind: 'login_key', sessionExpiresAt: T0 + 5000 }),
    );
    assert.equal(await s().findToken('h-key', T0), null);
  });

  it("exchanges a login key once for a session with the key's app, capabilities, session label and session expiry", async () => {
    const app = await mkApp(s());
    await s().createToken(
      token({
        hash: 'h-key',
        appId: app.id,
        expiresAt: T0 + 1000,
        kind: 'login_key',
        capabilities: ['ViewBase'],
        sessionId: 'user_7',
        sessionExpiresAt: T0 + 50_000,
      }),
    );
    const first = session();
    const exchanged = await s().exchangeLoginKey('h-key', first, T0 + 10);
    assert.deepEqual(exchanged, {
      ok: true,
      session: {
        id: first.id,
        appId: app.id,
        expiresAt: T0 + 50_000,
        kind: 'session',
        capabilities: ['ViewBase'],
        sessionId: 'user_7',
      },
    });
    assert.deepEqual(await s().findToken(first.hash, T0 + 49_999), exchanged.ok ? exchanged.session : null);
    assert.equal(await s().findToken(first.hash, T0 + 50_000), null);

    assert.deepEqual(await s().exchangeLoginKey('h-key', session(), T0 + 20), { ok: false, reason: 'used' });
    assert.deepEqual(
      await s().exchangeLoginKey('h-key', session(), T0 + 5000),
      { ok: false, reason: 'used' },
      'used wins over expired',
    );
    assert.deepEqual(await s().exchangeLoginKey('h-unknown', session(), T0), { ok: false, reason: 'unknown' });
    await s().createToken(token({ hash: 'h-bearer', appId: app.id }));
    assert.deepEqual(
      await s().exchangeLoginKey('h-bearer', session(), T0),
      { ok: false, reason: 'unknown' },
      'a bearer token is not a login key',
    );
  });

  it('refuses an expired login key and opens no session for it', async () => {
    const app = await mkApp(s());
    await s().createToken(
      token({ hash: 'h-old', appId: app.id, expiresAt: T0 + 1000, kind: 'login_key', sessionExpiresAt: T0 + 9000 }),
    );
    const late = session();
    assert.deepEqual(await s().exchangeLoginKey('h-old', late, T0 + 1000), { ok: false, reason: 'expired' });
    assert.equal(await s().findToken(late.hash, T0 + 1000), null);
  });

  it('lets exactly one of several racing exchanges of a key win', async () => {
    const app = await mkApp(s());
    await s().createToken(
      token({ hash: 'h-race', appId: app.id, expiresAt: T0 + 1000, kind: 'login_key', sessionExpiresAt: T0 + 9000 }),
    );
    const sessions = Array.from({ length: 8 }, session);
    const results = await Promise.all(sessions.map((x) => s().exchangeLoginKey('h-race', x, T0 + 1)));
    assert.equal(results.filter((r) => r.ok).length, 1);
    assert.deepEqual(
      results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.reason)),
      Array(7).fill('used'),
    );
    const live = await Promise.all(sessions.map((x) => s().findToken(x.hash, T0 + 2)));
    assert.equal(live.filter(Boolean).length, 1, "only the winner's session exists");
  });

  it("expires an app's tokens, sessions and unused keys at a time, or only those of some sessions", async () => {
    const [app, other] = [await mkApp(s()), await mkApp(s())];
    for (const [hash, sessionId, appId] of [
      ['a1', 's1', app.id],
      ['a2', 's2', app.id],
      ['a3', null, app.id],
      ['o1', 's1', other.id],
    ] as const) {
      await s().createToken(token({ hash, appId, sessionId, kind: 'portal' }));
    }
    await s().createToken(
      token({
        hash: 'a-key',
        appId: app.id,
        sessionId: 's1',
        kind: 'login_key',
        expiresAt: T0 + 10_000,
        sessionExpiresAt: T0 + 20_000,
      }),
    );
    await s().createToken(token({ hash: 'a-soon', appId: app.id, sessionId: 's1', expiresAt: T0 + 100 }));

    assert.equal(
      await s().expireAppTokens(app.id, T0 + 500, ['s1', 'nobody']),
      2,
      'a1 and the key; a-soon already ends sooner',
    );
    assert.ok(await s().findToken('a1', T0 + 499));
    assert.equal(await s().findToken('a1', T0 + 500), null);
    assert.equal((await s().findToken('a-soon', T0))?.expiresAt, T0 + 100, 'an earlier expiry is never pushed back');
    assert.deepEqual(await s().exchangeLoginKey('a-key', session(), T0 + 500), { ok: false, reason: 'expired' });
    assert.ok(await s().findToken('a2', T0 + 10 ** 9), 'another session of the app is untouched');
    assert.ok(await s().findToken('o1', T0 + 10 ** 9), 'the same session label in another app is untouched');

    assert.equal(
      await s().expireAppTokens(app.id, T0, null),
      5,
      'every token and key of the app, whatever its session',
    );
    for (const hash of ['a1', 'a2', 'a3', 'a-soon']) assert.equal(await s().findToken(hash, T0), null, hash);
    assert.ok(await s().findToken('o1', T0));
  });

  it('expires one token at once (logout)', async () => {
    const app = await mkApp(s());
    const id = newId('token');
    await s().createToken(token({ id, hash: 'h-out', appId: app.id, kind: 'session' }));
    assert.equal(await s().expireToken(id, T0), true);
    assert.equal(await s().findToken('h-out', T0), null);
    assert.equal(await s().expireToken(id, T0 + 1), false);
    assert.equal(await s().expireToken('tok_unknown', T0), false);
  });
}
