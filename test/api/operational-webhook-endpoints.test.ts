import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Svix } from 'svix';
import { sha256Hex } from '../../src/api/auth.js';
import { buildApi } from '../../src/api/build-api.js';
import { OperationalWebhooks } from '../../src/domain/operational-webhooks.js';
import { Outbox } from '../../src/outbox/outbox.js';
import type { DeliveryWorker } from '../../src/delivery/worker.js';
import type { Store } from '../../src/store/store.js';
import { startReceiver, type Receiver } from '../delivery/receiver.js';
import { memoryLogger, startWorker, waitFor, workerConfig } from '../delivery/worker-harness.js';
import { ADMIN_TOKEN, openSqliteStore } from './api-harness.js';

/**
 * Svix's operational webhook endpoints over the operational application: created with the
 * first endpoint, read and changed in Svix's shapes, and really delivered to — by the same
 * engine — when something happens to another application's endpoints.
 */
describe('operational webhook endpoints', () => {
  let store: Store;
  let cleanup: () => void;
  let api: FastifyInstance;
  let receiver: Receiver;
  let worker: DeliveryWorker;
  const config = workerConfig({ operationalApp: 'ops-hooks', publicUrl: 'http://hookrelay.test' });
  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
    token: string | null = ADMIN_TOKEN,
  ) =>
    api.inject({
      method,
      url,
      ...(payload ? { payload } : {}),
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  const base = '/api/v1/operational-webhook/endpoint';

  before(async () => {
    ({ store, cleanup } = await openSqliteStore());
    receiver = await startReceiver();
    api = await buildApi({
      store,
      config,
      adminTokenHash: sha256Hex(ADMIN_TOKEN),
      operational: new OperationalWebhooks(store, new Outbox(store), config, memoryLogger()),
    });
    worker = startWorker(store, config).worker;
  });
  after(async () => {
    await worker?.stop();
    await api?.close();
    await store?.close();
    await receiver?.close();
    cleanup?.();
  });

  it('lists nothing and knows no endpoint before the operational application exists', async () => {
    assert.deepEqual((await call('GET', base)).json(), { data: [], iterator: null, prevIterator: null, done: true });
    assert.equal((await call('GET', `${base}/ep_2aaaaaaaaaaaaaaaaaaaaaaaaaa`)).statusCode, 404);
    assert.equal((await call('DELETE', `${base}/anything`)).statusCode, 404);
    assert.equal((await call('GET', '/api/v1/app/ops-hooks')).statusCode, 404);
  });

  it('creates the application with the first endpoint; eventTypes and throttleRate are its filterTypes and rateLimit', async () => {
    const res = await call('POST', base, {
      url: receiver.url,
      uid: 'ops-main',
      description: 'On call',
      eventTypes: ['endpoint.created', 'message.attempt.exhausted'],
      throttleRate: 10,
      metadata: { team: 'sre' },
      headers: { 'x-team': 'sre' },
    });
    assert.equal(res.statusCode, 201);
    const out = res.json();
    assert.match(out.id, /^ep_/);
    assert.deepEqual(
      { ...out, id: undefined, createdAt: undefined, updatedAt: undefined },
      {
        id: undefined,
        createdAt: undefined,
        updatedAt: undefined,
        url: receiver.url,
        description: 'On call',
        throttleRate: 10,
        rateLimit: 10,
        uid: 'ops-main',
        disabled: false,
        eventTypes: ['endpoint.created', 'message.attempt.exhausted'],
        filterTypes: ['endpoint.created', 'message.attempt.exhausted'],
        metadata: { team: 'sre' },
      },
    );
    const app = await call('GET', '/api/v1/app/ops-hooks');
    assert.equal(app.statusCode, 200);
    const asEndpoint = (await call('GET', `/api/v1/app/ops-hooks/endpoint/${out.id}`)).json();
    assert.deepEqual(
      [asEndpoint.filterTypes, asEndpoint.rateLimit],
      [['endpoint.created', 'message.attempt.exhausted'], 10],
    );
    assert.deepEqual((await call('GET', `${base}/ops-main/headers`)).json(), {
      headers: { 'x-team': 'sre' },
      sensitive: [],
    });
    const second = await call('POST', base, { url: `${receiver.url}?second`, eventTypes: ['message.attempt.failing'] });
    assert.equal(second.statusCode, 201);
    const list = (await call('GET', `${base}?limit=1`)).json();
    assert.equal(list.data.length, 1);
    assert.equal(list.done, false);
    assert.equal((await call('GET', `${base}?limit=1&iterator=${list.iterator}`)).json().data.length, 1);
    assert.equal((await call('DELETE', `${base}/${second.json().id}`)).statusCode, 204);
  });

  it('sends the operational events an endpoint subscribed to, signed with its secret', async () => {
    receiver.requests.length = 0;
    await call('POST', '/api/v1/app', { name: 'Customer', uid: 'customer' });
    const ep = (await call('POST', '/api/v1/app/customer/endpoint', { url: 'https://customer.example/hook' })).json();
    await waitFor(() => receiver.requests.length >= 1, 5000, 'the endpoint.created event');
    const [req] = receiver.requests;
    const body = JSON.parse(req.body);
    assert.equal(body.type, 'endpoint.created');
    assert.equal(body.data.endpointId, ep.id);
    const { key } = (await call('GET', `${base}/ops-main/secret`)).json();
    const { Webhook } = await import('standardwebhooks');
    assert.doesNotThrow(() =>
      new Webhook(key.slice('whsec_'.length)).verify(req.body, req.headers as Record<string, string>),
    );
    // endpoint.updated is not among its event types: nothing more arrives.
    await call('PUT', `/api/v1/app/customer/endpoint/${ep.id}`, { url: 'https://customer.example/other' });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(receiver.requests.length, 1);
  });

  it('gets, updates (PUT) and creates by uid (PUT); an unknown ID is 404', async () => {
    const got = (await call('GET', `${base}/ops-main`)).json();
    const updated = await call('PUT', `${base}/ops-main`, {
      url: `${receiver.url}?v2`,
      eventTypes: null,
      throttleRate: null,
      disabled: true,
    });
    assert.equal(updated.statusCode, 200);
    const u = updated.json();
    assert.deepEqual(
      [u.id, u.url, u.eventTypes, u.throttleRate, u.disabled, u.description, u.metadata],
      [got.id, `${receiver.url}?v2`, null, null, true, '', {}],
    );
    const created = await call('PUT', `${base}/ops-backup`, {
      url: receiver.url,
      filterTypes: ['endpoint.disabled'],
      rateLimit: 3,
    });
    assert.equal(created.statusCode, 201);
    assert.deepEqual(
      [created.json().uid, created.json().eventTypes, created.json().throttleRate],
      ['ops-backup', ['endpoint.disabled'], 3],
    );
    assert.equal((await call('PUT', `${base}/ep_2aaaaaaaaaaaaaaaaaaaaaaaaaa`, { url: receiver.url })).statusCode, 404);
    assert.equal(
      (await call('PUT', `${base}/ops-main`, { url: receiver.url, disabled: false })).json().disabled,
      false,
    );
  });

  it('shows and rotates the secret, and replaces the headers', async () => {
    const before = (await call('GET', `${base}/ops-main/secret`)).json().key;
    assert.match(before, /^whsec_/);
    assert.equal((await call('POST', `${base}/ops-main/secret/rotate`, {})).statusCode, 204);
    const rotated = (await call('GET', `${base}/ops-main/secret`)).json().key;
    assert.notEqual(rotated, before);
    const chosen = 'whsec_' + Buffer.alloc(24, 7).toString('base64');
    assert.equal(
      (await call('POST', `${base}/ops-main/secret/rotate`, { key: chosen, gracePeriodSeconds: 0 })).statusCode,
      204,
    );
    assert.equal((await call('GET', `${base}/ops-main/secret`)).json().key, chosen);
    const badKey = await call('POST', `${base}/ops-main/secret/rotate`, { key: 'not a secret' });
    assert.equal(badKey.statusCode, 422);
    assert.deepEqual(badKey.json().detail[0].loc, ['body', 'key']);
    assert.equal((await call('PUT', `${base}/ops-main/headers`, { headers: { 'x-new': '1' } })).statusCode, 204);
    assert.deepEqual((await call('GET', `${base}/ops-main/headers`)).json(), {
      headers: { 'x-new': '1' },
      sensitive: [],
    });
    assert.equal((await call('GET', `${base}/nobody/secret`)).statusCode, 404);
  });

  it("refuses bad input with 422 where it is, and every token but the admin's", async () => {
    const unknownType = await call('POST', base, { url: receiver.url, eventTypes: ['user.created'] });
    assert.equal(unknownType.statusCode, 422);
    assert.deepEqual(unknownType.json().detail[0].loc, ['body', 'eventTypes', 0]);
    const badUrl = await call('POST', base, { url: 'ftp://example.com/x' });
    assert.equal(badUrl.statusCode, 422);
    assert.deepEqual(badUrl.json().detail[0].loc, ['body', 'url']);
    assert.equal((await call('POST', base, {})).statusCode, 422);
    assert.equal((await call('POST', base, { url: receiver.url, uid: 'ops-main' })).statusCode, 409);
    const appToken = (await call('POST', '/api/v1/auth/app-portal-access/customer', {})).json().token;
    const routes = [
      ['GET', base],
      ['POST', base, { url: receiver.url }],
      ['GET', `${base}/ops-main`],
      ['DELETE', `${base}/ops-main`],
      ['GET', `${base}/ops-main/secret`],
    ] as const;
    for (const [method, url, body] of routes) {
      assert.equal((await call(method, url, body, appToken)).statusCode, 403, `${method} ${url}`);
      assert.equal((await call(method, url, body, null)).statusCode, 401, `${method} ${url}`);
    }
  });

  it('works with the svix SDK (1.x) on a real socket', async () => {
    await api.listen({ port: 0, host: '127.0.0.1' });
    const address = api.server.address();
    assert.ok(address && typeof address === 'object');
    const svix = new Svix(ADMIN_TOKEN, { serverUrl: `http://127.0.0.1:${address.port}`, numRetries: 0 });
    const made = await svix.operationalWebhookEndpoint.create({
      url: receiver.url,
      filterTypes: ['message.attempt.failing'],
      rateLimit: 5,
      uid: 'sdk-made',
    });
    assert.deepEqual(
      [made.filterTypes, made.throttleRate, made.rateLimit, made.uid],
      [['message.attempt.failing'], 5, 5, 'sdk-made'],
    );
    assert.ok(made.createdAt instanceof Date);
    assert.equal((await svix.operationalWebhookEndpoint.get('sdk-made')).id, made.id);
    const changed = await svix.operationalWebhookEndpoint.update('sdk-made', {
      url: `${receiver.url}?sdk`,
      filterTypes: null,
    });
    assert.deepEqual([changed.url, changed.filterTypes ?? null], [`${receiver.url}?sdk`, null]);
    assert.ok((await svix.operationalWebhookEndpoint.list()).data.some((e) => e.id === made.id));
    const secret = await svix.operationalWebhookEndpoint.getSecret('sdk-made');
    await svix.operationalWebhookEndpoint.rotateSecret('sdk-made', {});
    assert.notEqual((await svix.operationalWebhookEndpoint.getSecret('sdk-made')).key, secret.key);
    await svix.operationalWebhookEndpoint.updateHeaders('sdk-made', { headers: { 'x-sdk': 'yes' } });
    assert.deepEqual((await svix.operationalWebhookEndpoint.getHeaders('sdk-made')).headers, { 'x-sdk': 'yes' });
    await svix.operationalWebhookEndpoint.delete('sdk-made');
    await assert.rejects(svix.operationalWebhookEndpoint.get('sdk-made'), (err: { code?: number }) => err.code === 404);
  });
});
