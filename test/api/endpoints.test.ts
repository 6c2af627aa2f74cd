import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OperationalWebhooks } from '../../src/domain/operational-webhooks.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { harness, type Harness } from './api-harness.js';

describe('endpoints API', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ allowNetworks: ['127.0.0.0/8'] });
    await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Acme', uid: 'acme' } });
    for (const name of ['user.signup', 'a.b', 'old.type'])
      await h.call({ method: 'POST', url: '/api/v1/event-type', payload: { name, description: name } });
    await h.call({ method: 'DELETE', url: '/api/v1/event-type/old.type' });
  });
  after(async () => {
    await h.close();
  });

  const create = (payload: object) => h.call({ method: 'POST', url: '/api/v1/app/acme/endpoint', payload });

  it('creates with Svix fields, aliases and defaults; gets by ID and uid', async () => {
    const res = await create({
      url: 'https://example.com/a',
      uid: 'ep-a',
      eventTypes: ['user.signup'],
      throttleRate: 9,
      channels: ['eu'],
      headers: { 'X-A': '1' },
    });
    assert.equal(res.statusCode, 201);
    const ep = res.json();
    assert.match(ep.id, /^ep_/);
    assert.deepEqual(ep.filterTypes, ['user.signup'], 'eventTypes is an alias of filterTypes');
    assert.equal(ep.rateLimit, 9);
    assert.equal(ep.version, 1);
    assert.equal(ep.disabled, false);
    assert.equal(ep.kind, 'url');
    assert.equal(ep.format, 'standard');
    assert.equal(ep.secret, undefined, 'the secret is never part of EndpointOut');
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/app/acme/endpoint/ep-a' })).json().id, ep.id);
    const headers = (await h.call({ method: 'GET', url: `/api/v1/app/acme/endpoint/${ep.id}/headers` })).json();
    assert.deepEqual(headers, { headers: { 'X-A': '1' }, sensitive: [] });
  });

  it('accepts Hookrelay extensions: poll endpoints without URL, CloudEvents format, ed25519', async () => {
    const poll = await create({ kind: 'poll' });
    assert.equal(poll.statusCode, 201);
    assert.equal(poll.json().kind, 'poll');
    const ce = await create({
      url: 'https://example.com/ce',
      format: 'cloudevents-structured',
      cloudEventsHandshake: true,
      svixHeaders: true,
      signingAlgorithm: 'ed25519',
    });
    assert.equal(ce.statusCode, 201);
    assert.equal(ce.json().format, 'cloudevents-structured');
    assert.equal(ce.json().cloudEventsHandshake, true);
    const secret = (await h.call({ method: 'GET', url: `/api/v1/app/acme/endpoint/${ce.json().id}/secret` })).json();
    assert.match(secret.key, /^whpk_/, 'ed25519 endpoints show the public key');
  });

  it('validates URLs: required for url endpoints, http(s) only, blocked IP literals unless allowed', async () => {
    const missing = await create({});
    assert.equal(missing.statusCode, 422);
    assert.deepEqual(missing.json().detail[0].loc, ['body', 'url']);
    for (const url of [
      'ftp://example.com/x',
      'http://10.0.0.1/x',
      'http://169.254.169.254/latest',
      'http://[::ffff:192.168.0.1]/',
    ]) {
      const res = await create({ url });
      assert.equal(res.statusCode, 422, url);
      assert.equal(res.json().detail[0].type, 'value_error.url');
    }
    // The refusal names the setting that lets a destination of one's own through, and the exact entry.
    const privateNet = (await create({ url: 'http://10.0.0.1/x' })).json().detail[0].msg;
    assert.equal(
      privateNet,
      'URL not allowed: 10.0.0.1 is private (RFC 1918) (if it is yours, allow it: HOOKRELAY_ALLOW_NETWORKS=10.0.0.1/32)',
    );
    assert.doesNotMatch(
      (await create({ url: 'http://169.254.169.254/latest' })).json().detail[0].msg,
      /HOOKRELAY_ALLOW_NETWORKS/,
    );
    assert.equal(
      (await create({ url: 'http://127.0.0.1:9/x' })).statusCode,
      201,
      '127.0.0.0/8 is in allowNetworks here',
    );
    assert.equal(
      (await create({ url: 'http://localhost:9/x' })).statusCode,
      201,
      'localhost is 127.0.0.1, allowed here',
    );
  });

  it('filterTypes must name event types that exist, archived or not (422 on create, PUT and PATCH)', async () => {
    for (const payload of [{ filterTypes: ['user.signup', 'user.sigup'] }, { eventTypes: ['no.such'] }]) {
      const res = await create({ url: 'https://example.com/f', ...payload });
      assert.equal(res.statusCode, 422, JSON.stringify(payload));
      assert.deepEqual(res.json().detail[0].loc, ['body', 'filterTypes']);
    }
    assert.match(
      (await create({ url: 'https://example.com/f', filterTypes: ['user.sigup', 'nope'] })).json().detail[0].msg,
      /^Unknown event types: user\.sigup, nope\. Create them first/,
    );
    assert.equal(
      (await create({ url: 'https://example.com/f', filterTypes: ['old.type'] })).statusCode,
      201,
      'an archived type is still usable',
    );
    const ep = (await create({ url: 'https://example.com/f', filterTypes: ['user.signup'] })).json();
    const base = `/api/v1/app/acme/endpoint/${ep.id}`;
    assert.equal(
      (
        await h.call({
          method: 'PUT',
          url: base,
          payload: { url: 'https://example.com/f', filterTypes: ['missing.type'] },
        })
      ).statusCode,
      422,
    );
    assert.equal(
      (await h.call({ method: 'PATCH', url: base, payload: { filterTypes: ['missing.type'] } })).statusCode,
      422,
    );
    assert.deepEqual(
      (await h.call({ method: 'GET', url: base })).json().filterTypes,
      ['user.signup'],
      'nothing was written',
    );
  });

  it('validates secrets: whsec_, bare base64 (normalised), whsk_; rejects others', async () => {
    const raw = Buffer.alloc(24, 1).toString('base64');
    const bare = (await create({ url: 'https://example.com/s1', secret: raw })).json();
    assert.equal(
      (await h.call({ method: 'GET', url: `/api/v1/app/acme/endpoint/${bare.id}/secret` })).json().key,
      'whsec_' + raw,
    );
    const bad = await create({ url: 'https://example.com/s2', secret: 'short' });
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(bad.json().detail[0].loc, ['body', 'secret']);
  });

  it('PUT replaces, PATCH merges, headers PUT/PATCH, rotate secret, DELETE', async () => {
    const ep = (await create({ url: 'https://example.com/b', channels: ['x'], description: 'd' })).json();
    const base = `/api/v1/app/acme/endpoint/${ep.id}`;
    const put = (
      await h.call({ method: 'PUT', url: base, payload: { url: 'https://example.com/b2', filterTypes: ['a.b'] } })
    ).json();
    assert.equal(put.url, 'https://example.com/b2');
    assert.equal(put.channels, null);
    assert.equal(put.description, '');
    const patch = (await h.call({ method: 'PATCH', url: base, payload: { disabled: true, channels: ['y'] } })).json();
    assert.equal(patch.disabled, true);
    assert.deepEqual(patch.channels, ['y']);
    assert.deepEqual(patch.filterTypes, ['a.b']);
    const versioned = (await h.call({ method: 'PATCH', url: base, payload: { version: 3 } })).json();
    const described = (await h.call({ method: 'PATCH', url: base, payload: { description: 'still off' } })).json();
    assert.equal(described.disabled, true, 'a patch that omits `disabled` leaves the endpoint disabled');
    assert.equal(described.version, versioned.version, 'a patch that omits `version` keeps it');
    assert.equal(described.version, 3);

    assert.equal(
      (await h.call({ method: 'PUT', url: `${base}/headers`, payload: { headers: { A: '1', B: '2' } } })).statusCode,
      204,
    );
    assert.equal(
      (await h.call({ method: 'PATCH', url: `${base}/headers`, payload: { headers: { A: null, C: '3' } } })).statusCode,
      204,
    );
    assert.deepEqual((await h.call({ method: 'GET', url: `${base}/headers` })).json().headers, { B: '2', C: '3' });

    const before = (await h.call({ method: 'GET', url: `${base}/secret` })).json().key;
    assert.equal(
      (await h.call({ method: 'POST', url: `${base}/secret/rotate` })).statusCode,
      204,
      'the body is optional',
    );
    const after = (await h.call({ method: 'GET', url: `${base}/secret` })).json().key;
    assert.notEqual(after, before);
    assert.match(after, /^whsec_/);
    const endpoint = await h.store.getEndpoint((await h.store.getApplication('acme'))!.id, ep.id);
    assert.equal(endpoint!.secrets.length, 2, 'the old secret stays for the grace period');
    assert.equal(
      (await h.call({ method: 'POST', url: `${base}/secret/rotate`, payload: { key: 'nope' } })).statusCode,
      422,
    );

    assert.equal((await h.call({ method: 'DELETE', url: base })).statusCode, 204);
    assert.equal((await h.call({ method: 'GET', url: base })).statusCode, 404);
    assert.equal((await h.call({ method: 'DELETE', url: base })).statusCode, 404);
  });

  it('lists endpoints ascending with pagination', async () => {
    const page = (await h.call({ method: 'GET', url: '/api/v1/app/acme/endpoint?limit=2' })).json();
    assert.equal(page.data.length, 2);
    assert.equal(page.done, false);
    assert.ok(page.data[0].id < page.data[1].id);
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/app/nope/endpoint' })).statusCode, 404);
  });

  it('emits endpoint.created / updated / deleted operational webhooks', async () => {
    const ops = await harness({ operationalApp: 'ops' });
    try {
      const operational = new OperationalWebhooks(ops.store, new Outbox(ops.store), ops.config, { warn() {} });
      const { buildApi } = await import('../../src/api/build-api.js');
      const { sha256Hex } = await import('../../src/api/auth.js');
      const api = await buildApi({ store: ops.store, config: ops.config, adminTokenHash: sha256Hex('t'), operational });
      const call = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
        api.inject({ method, url, payload, headers: { authorization: 'Bearer t' } });
      const opsApp = (await call('POST', '/api/v1/app', { name: 'Ops', uid: 'ops' })).json();
      await call('POST', '/api/v1/app', { name: 'C', uid: 'cust' });
      const ep = (await call('POST', '/api/v1/app/cust/endpoint', { url: 'https://example.com/x' })).json();
      await call('PATCH', `/api/v1/app/cust/endpoint/${ep.id}`, { description: 'z' });
      await call('DELETE', `/api/v1/app/cust/endpoint/${ep.id}`);
      const msgs = await ops.store.listMessages(opsApp.id, { limit: 10, iterator: null, order: 'ascending' }, {});
      assert.deepEqual(
        msgs.data.map((m) => m.eventType),
        ['endpoint.created', 'endpoint.updated', 'endpoint.deleted'],
      );
      assert.equal(JSON.parse(msgs.data[0].payload!).data.endpointId, ep.id);
      await api.close();
    } finally {
      await ops.close();
    }
  });
});
