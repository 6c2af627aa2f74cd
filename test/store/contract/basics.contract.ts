import assert from 'node:assert/strict';
import { it } from 'node:test';
import { newId } from '../../../src/ids.js';
import type { Store } from '../../../src/store/store.js';
import { T0, conflict, mkApp, pq, walk } from './fixtures.js';

/** Settings, applications, event types, tokens, idempotency keys. */
export function basicsContract(s: () => Store): void {
  it('ping answers and settings keep the first writer', async () => {
    await s().ping();
    assert.equal(await s().getSetting('k'), null);
    assert.equal(await s().setSettingIfAbsent('k', 'first'), 'first');
    assert.equal(await s().setSettingIfAbsent('k', 'second'), 'first');
    assert.equal(await s().getSetting('k'), 'first');
  });

  it('creates, reads by id or uid, updates and deletes applications', async () => {
    const app = await mkApp(s(), { uid: 'acme', name: 'Acme', rateLimit: 10, metadata: { tier: 'gold' } });
    assert.deepEqual(app, {
      id: app.id,
      uid: 'acme',
      name: 'Acme',
      rateLimit: 10,
      metadata: { tier: 'gold' },
      createdAt: T0,
      updatedAt: T0,
    });
    assert.deepEqual(await s().getApplication(app.id), app);
    assert.deepEqual(await s().getApplication('acme'), app);
    assert.equal(await s().getApplication('nope'), null);

    const updated = await s().updateApplication(app.id, { name: 'Acme Inc', uid: null, metadata: {} }, T0 + 5);
    assert.deepEqual(updated, { ...app, name: 'Acme Inc', uid: null, metadata: {}, updatedAt: T0 + 5 });
    assert.equal((await s().updateApplication(app.id, { rateLimit: null }, T0 + 6))?.rateLimit, null);
    assert.equal(await s().getApplication('acme'), null);
    assert.equal(await s().updateApplication('app_missing', { name: 'x' }, T0), null);

    assert.equal(await s().deleteApplication(app.id), true);
    assert.equal(await s().getApplication(app.id), null);
    assert.equal(await s().deleteApplication(app.id), false);
  });

  it('refuses a taken application uid with ConflictError, allows many null uids', async () => {
    await mkApp(s(), { uid: 'taken' });
    await assert.rejects(mkApp(s(), { uid: 'taken' }), conflict('An application with this uid already exists.'));
    const other = await mkApp(s(), { uid: 'other' });
    await assert.rejects(
      s().updateApplication(other.id, { uid: 'taken' }, T0),
      conflict('An application with this uid already exists.'),
    );
    await mkApp(s());
    await mkApp(s());
    assert.equal((await s().listApplications(pq())).data.length, 4);
  });

  it('lists applications by ID in both orders', async () => {
    const apps = [];
    for (let i = 0; i < 5; i++) apps.push((await mkApp(s(), { name: `a${i}` })).id);
    const asc = await walk(
      (q) => s().listApplications(q),
      (a) => a.id,
      2,
      'ascending',
    );
    assert.deepEqual(asc, { seen: apps, pages: 3 });
    const desc = await walk(
      (q) => s().listApplications(q),
      (a) => a.id,
      2,
      'descending',
    );
    assert.deepEqual(desc, { seen: [...apps].reverse(), pages: 3 });
  });

  it('creates, lists, updates and deletes event types keyed by name', async () => {
    const et = await s().createEventType({
      name: 'user.created',
      description: 'A user',
      schemas: { '1': { type: 'object' } },
      archived: false,
      deprecated: false,
      featureFlag: 'beta',
      now: T0,
    });
    assert.deepEqual(et, {
      name: 'user.created',
      description: 'A user',
      schemas: { '1': { type: 'object' } },
      archived: false,
      deprecated: false,
      featureFlag: 'beta',
      createdAt: T0,
      updatedAt: T0,
    });
    await assert.rejects(
      s().createEventType({
        name: 'user.created',
        description: '',
        schemas: null,
        archived: false,
        deprecated: false,
        featureFlag: null,
        now: T0,
      }),
      conflict('An event type with this name already exists.'),
    );
    for (const name of ['b.archived', 'a.first', 'c.last']) {
      await s().createEventType({
        name,
        description: name,
        schemas: null,
        archived: name === 'b.archived',
        deprecated: false,
        featureFlag: null,
        now: T0,
      });
    }
    const visible = await walk(
      (q) => s().listEventTypes(q, false),
      (e) => e.name,
      2,
      'ascending',
    );
    assert.deepEqual(visible.seen, ['a.first', 'c.last', 'user.created']);
    const all = await walk(
      (q) => s().listEventTypes(q, true),
      (e) => e.name,
      3,
      'descending',
    );
    assert.deepEqual(all.seen, ['user.created', 'c.last', 'b.archived', 'a.first']);

    const upd = await s().updateEventType(
      'user.created',
      { archived: true, deprecated: true, schemas: null, featureFlag: null, description: 'd' },
      T0 + 9,
    );
    assert.deepEqual(upd, {
      ...et,
      archived: true,
      deprecated: true,
      schemas: null,
      featureFlag: null,
      description: 'd',
      updatedAt: T0 + 9,
    });
    assert.deepEqual(await s().getEventType('user.created'), upd);
    assert.equal(await s().updateEventType('missing', { description: 'x' }, T0), null);
    assert.equal(await s().deleteEventType('user.created'), true);
    assert.equal(await s().getEventType('user.created'), null);
    assert.equal(await s().deleteEventType('user.created'), false);
  });

  it('finds tokens by hash, ignoring expired ones and those of deleted apps', async () => {
    const app = await mkApp(s());
    await s().createToken({ id: newId('token'), hash: 'h-admin', appId: null, expiresAt: null, now: T0 });
    const appTok = newId('token');
    await s().createToken({ id: appTok, hash: 'h-app', appId: app.id, expiresAt: T0 + 1000, now: T0 });
    assert.deepEqual(await s().findToken('h-app', T0 + 999), {
      id: appTok,
      appId: app.id,
      expiresAt: T0 + 1000,
      kind: 'api',
      capabilities: null,
      sessionId: null,
    });
    assert.equal(await s().findToken('h-app', T0 + 1000), null);
    assert.equal((await s().findToken('h-admin', T0 + 10 ** 12))?.appId, null);
    assert.equal(await s().findToken('unknown', T0), null);
    await s().deleteApplication(app.id);
    assert.equal(await s().findToken('h-app', T0), null);
  });

  it('keeps idempotent responses until they expire, the last put winning', async () => {
    assert.equal(await s().getIdempotentResponse('app_1', 'key', T0), null);
    await s().putIdempotentResponse('app_1', 'key', { status: 202, body: '{"a":1}' }, T0 + 100);
    assert.deepEqual(await s().getIdempotentResponse('app_1', 'key', T0 + 99), { status: 202, body: '{"a":1}' });
    assert.equal(await s().getIdempotentResponse('app_2', 'key', T0), null);
    assert.equal(await s().getIdempotentResponse('app_1', 'key', T0 + 100), null);
    await s().putIdempotentResponse('app_1', 'key', { status: 409, body: 'x' }, T0 + 500);
    assert.deepEqual(await s().getIdempotentResponse('app_1', 'key', T0 + 200), { status: 409, body: 'x' });
  });
}
