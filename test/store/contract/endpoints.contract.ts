import type { EndpointId } from '../../../src/ids.js';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SecretBox } from '../../../src/domain/secret-box.js';
import type { Store } from '../../../src/store/store.js';
import { T0, conflict, type StoreHarness, ids, mkApp, mkEndpoint, mkMessages, msgIn, pq, walk } from './fixtures.js';

/** Endpoints: CRUD, uid scoping, secrets at rest and their rotation. */
export function endpointsContract(s: () => Store, h: () => StoreHarness): void {
  it('round-trips every endpoint field and finds it by id or uid within its app only', async () => {
    const app = await mkApp(s());
    const other = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id, {
      uid: 'primary',
      url: 'https://a.test/x',
      description: 'd',
      version: 2,
      filterTypes: ['a', 'b'],
      channels: ['c1'],
      rateLimit: 5,
      metadata: { m: '1' },
      headers: { 'X-Custom': 'v' },
      format: 'cloudevents-structured',
      cloudEventsHandshake: true,
      svixHeaders: true,
      ordered: true,
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    });
    assert.deepEqual(ep, {
      id: ep.id,
      appId: app.id,
      uid: 'primary',
      kind: 'url',
      url: 'https://a.test/x',
      description: 'd',
      version: 2,
      filterTypes: ['a', 'b'],
      channels: ['c1'],
      rateLimit: 5,
      disabled: false,
      metadata: { m: '1' },
      headers: { 'X-Custom': 'v' },
      format: 'cloudevents-structured',
      cloudEventsHandshake: true,
      svixHeaders: true,
      ordered: true,
      secrets: [{ key: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', expiresAt: null }],
      failingSince: null,
      createdAt: T0,
      updatedAt: T0,
    });
    assert.deepEqual(await s().getEndpoint(app.id, ep.id), ep);
    assert.deepEqual(await s().getEndpoint(app.id, 'primary'), ep);
    assert.equal(await s().getEndpoint(other.id, ep.id), null);
    assert.equal(await s().getEndpoint(other.id, 'primary'), null);

    const poll = await mkEndpoint(s(), app.id, { kind: 'poll', url: '', svixHeaders: false, disabled: true });
    assert.equal(poll.kind, 'poll');
    assert.equal(poll.svixHeaders, false);
    assert.equal(poll.disabled, true);
    assert.equal((await mkEndpoint(s(), app.id)).svixHeaders, null);
    assert.equal((await mkEndpoint(s(), app.id)).ordered, false, 'unordered unless asked');
  });

  it('scopes endpoint uids to their app and refuses a taken one', async () => {
    const a = await mkApp(s());
    const b = await mkApp(s());
    const first = await mkEndpoint(s(), a.id, { uid: 'hook' });
    await assert.rejects(
      mkEndpoint(s(), a.id, { uid: 'hook' }),
      conflict('An endpoint with this uid already exists in this application.'),
    );
    await mkEndpoint(s(), b.id, { uid: 'hook' });
    const second = await mkEndpoint(s(), a.id, { uid: 'second' });
    await assert.rejects(
      s().updateEndpoint(a.id, second.id, { uid: 'hook' }, T0),
      conflict('An endpoint with this uid already exists in this application.'),
    );
    assert.equal((await s().getEndpoint(a.id, 'hook'))?.id, first.id);
  });

  it('updates only the given fields and answers null for an unknown endpoint', async () => {
    const app = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id, { filterTypes: ['a'] });
    const upd = await s().updateEndpoint(
      app.id,
      ep.id,
      {
        url: 'https://b.test',
        filterTypes: null,
        channels: ['x'],
        disabled: true,
        failingSince: T0 - 5,
        svixHeaders: false,
        headers: { A: 'b' },
        version: 3,
        rateLimit: 7,
        cloudEventsHandshake: true,
        format: 'cloudevents-binary',
      },
      T0 + 1,
    );
    assert.deepEqual(upd, {
      ...ep,
      url: 'https://b.test',
      filterTypes: null,
      channels: ['x'],
      disabled: true,
      failingSince: T0 - 5,
      svixHeaders: false,
      headers: { A: 'b' },
      version: 3,
      rateLimit: 7,
      cloudEventsHandshake: true,
      format: 'cloudevents-binary',
      updatedAt: T0 + 1,
    });
    assert.deepEqual(await s().getEndpoint(app.id, ep.id), upd);
    const other = await mkApp(s());
    assert.equal(await s().updateEndpoint(other.id, ep.id, { url: 'https://c.test' }, T0), null);
    assert.equal(await s().updateEndpoint(app.id, 'ep_missing' as EndpointId, { url: 'https://c.test' }, T0), null);
  });

  it("lists an app's endpoints by ID, and deletes them with their deliveries", async () => {
    const app = await mkApp(s());
    const other = await mkApp(s());
    const eps = [];
    for (let i = 0; i < 3; i++) eps.push(await mkEndpoint(s(), app.id));
    await mkEndpoint(s(), other.id);
    assert.deepEqual(
      (
        await walk(
          (q) => s().listEndpoints(app.id, q),
          (e) => e.id,
          2,
          'ascending',
        )
      ).seen,
      ids(eps),
    );
    assert.deepEqual(
      (
        await walk(
          (q) => s().listEndpoints(app.id, q),
          (e) => e.id,
          1,
          'descending',
        )
      ).seen,
      ids(eps).reverse(),
    );

    const [msg] = await mkMessages(s(), [msgIn(app.id)]);
    assert.equal((await s().listMessageDestinations(app.id, msg.id, pq())).data.length, 3);
    assert.equal(await s().deleteEndpoint(other.id, eps[0].id), false);
    assert.equal(await s().deleteEndpoint(app.id, eps[0].id), true);
    assert.equal(await s().getEndpoint(app.id, eps[0].id), null);
    assert.equal(await s().deleteEndpoint(app.id, eps[0].id), false);
    const dest = await s().listMessageDestinations(app.id, msg.id, pq());
    assert.deepEqual(
      dest.data.map((d) => d.endpoint.id),
      ids(eps.slice(1)),
    );
    assert.equal(await s().queueDepth(), 2);
  });

  it("stores secrets sealed: never the plaintext, and only the store's key opens them", async (t) => {
    const { rawEndpointSecrets, secretBox } = h();
    if (!rawEndpointSecrets) return t.skip('the harness gives no rawEndpointSecrets hook');
    const app = await mkApp(s());
    const secret = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
    const ep = await mkEndpoint(s(), app.id, { secret });
    const raw = await rawEndpointSecrets(ep.id);
    assert.ok(raw.length > 0);
    assert.ok(!raw.includes(secret), 'the stored form contains the plaintext');
    assert.ok(!raw.includes(secret.slice(6)), 'the stored form contains the key material');
    const sealed = raw.match(/v1:[A-Za-z0-9+/=]+/g) ?? [];
    assert.equal(sealed.length, 1);
    if (secretBox) assert.equal(secretBox.open(sealed[0]), secret);
    assert.throws(() => SecretBox.random().open(sealed[0]));
    assert.deepEqual((await s().getEndpoint(app.id, ep.id))?.secrets, [{ key: secret, expiresAt: null }]);
  });

  it('rotates secrets: new key first, the old one kept for the grace period, expired ones dropped', async (t) => {
    const app = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id, { secret: 'whsec_first0000000000000000000000000000' });
    const r1 = await s().rotateEndpointSecret(app.id, ep.id, 'whsec_second000000000000000000000000000', 1000, T0 + 10);
    assert.deepEqual(r1?.secrets, [
      { key: 'whsec_second000000000000000000000000000', expiresAt: null },
      { key: 'whsec_first0000000000000000000000000000', expiresAt: T0 + 1010 },
    ]);
    assert.equal(r1?.updatedAt, T0 + 10);
    assert.deepEqual((await s().getEndpoint(app.id, ep.id))?.secrets, r1?.secrets);
    // Second rotation after the first grace period: 'first' is gone, 'second' gets its own grace.
    const r2 = await s().rotateEndpointSecret(app.id, ep.id, 'whsk_third', 500, T0 + 2000);
    assert.deepEqual(r2?.secrets, [
      { key: 'whsk_third', expiresAt: null },
      { key: 'whsec_second000000000000000000000000000', expiresAt: T0 + 2500 },
    ]);
    assert.equal(await s().rotateEndpointSecret(app.id, 'ep_missing', 'whsec_x', 0, T0), null);
    const raw = h().rawEndpointSecrets;
    if (raw) {
      const stored = await raw(ep.id);
      for (const k of ['whsk_third', 'whsec_second000000000000000000000000000']) assert.ok(!stored.includes(k));
    } else {
      t.diagnostic('no rawEndpointSecrets hook: at-rest form of rotated keys not checked');
    }
  });
}
