import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { ApiException, AppPortalCapability, BackgroundTaskStatus, BackgroundTaskType, MessageStatus, Svix } from 'svix';
import { sha256Hex } from '../../src/api/auth.js';
import { buildApi } from '../../src/api/build-api.js';
import { testConfig } from '../../src/config.js';
import { DeliveryStatus } from '../../src/domain/model.js';
import { newId } from '../../src/ids.js';
import { TaskRunner } from '../../src/delivery/task-runner.js';
import type { Store } from '../../src/store/store.js';

export interface OpenedStore {
  store: Store;
  cleanup: () => Promise<void> | void;
}

const TOKEN = 'hr_admin_sdk_suite_token';

/** Record one real attempt for each due delivery, the way the delivery engine does; `failed`: the attempt failed for good. */
async function deliverOnce(store: Store, endpointUrl: string, failed = false): Promise<void> {
  const owner = 'sdk-suite';
  const now = Date.now();
  const claimed = await store.claimDeliveries({
    owner,
    limit: 10,
    leaseMs: 60_000,
    now: now + 1000,
    perEndpointLimit: 10,
  });
  assert.ok(claimed.length > 0, 'a delivery row was written for the message');
  await store.completeDeliveries(
    claimed.map((c) => ({
      deliveryId: c.delivery.id,
      owner,
      attempt: {
        id: newId('attempt'),
        url: endpointUrl,
        status: failed ? DeliveryStatus.Fail : DeliveryStatus.Success,
        responseStatusCode: failed ? 500 : 200,
        response: failed ? 'boom' : 'ok',
        responseDurationMs: 12,
        triggerType: 0,
        now: now + 1000,
      },
      next: failed ? { kind: 'fail' as const } : { kind: 'success' as const },
    })),
  );
}

/**
 * The official svix SDK (1.x) against a real Hookrelay API on a real socket: what the SDK
 * sends must be accepted and what we answer must parse into its models. Parameterised by a
 * store factory so the same suite runs on SQLite and PostgreSQL.
 */
export function runSvixSdkSuite(label: string, openStore: () => Promise<OpenedStore | null>): void {
  describe(`svix SDK compatibility (${label})`, () => {
    let opened: OpenedStore | null = null;
    let app: FastifyInstance;
    let svix: Svix;

    before(async () => {
      opened = await openStore();
      if (!opened) return;
      app = await buildApi({
        store: opened.store,
        config: testConfig(),
        adminTokenHash: sha256Hex(TOKEN),
        logger: process.env.HOOKRELAY_TEST_LOG ? pino({ level: 'error' }) : false,
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const addr = app.server.address();
      assert.ok(addr && typeof addr === 'object');
      svix = new Svix(TOKEN, { serverUrl: `http://127.0.0.1:${addr.port}`, numRetries: 0 });
    });

    after(async () => {
      if (!opened) return;
      await app.close();
      await opened.store.close();
      await opened.cleanup();
    });

    it('applications: create, get, getOrCreate, list, update, delete', async (t) => {
      if (!opened) return t.skip('store unavailable');
      const created = await svix.application.create({ name: 'Acme', uid: 'acme', metadata: { plan: 'pro' } });
      assert.match(created.id, /^app_/);
      assert.equal(created.uid, 'acme');
      assert.ok(created.createdAt instanceof Date && !Number.isNaN(created.createdAt.getTime()));
      assert.deepEqual(created.metadata, { plan: 'pro' });

      assert.equal((await svix.application.get('acme')).id, created.id);
      assert.equal((await svix.application.getOrCreate({ name: 'ignored', uid: 'acme' })).id, created.id);
      const other = await svix.application.getOrCreate({ name: 'Other', uid: 'other' });
      assert.notEqual(other.id, created.id);

      const list = await svix.application.list({ limit: 1 });
      assert.equal(list.data.length, 1);
      assert.equal(list.done, false);
      const next = await svix.application.list({ limit: 1, iterator: list.iterator });
      assert.notEqual(next.data[0].id, list.data[0].id);

      const updated = await svix.application.update(created.id, { name: 'Acme Inc', uid: 'acme', rateLimit: 10 });
      assert.equal(updated.name, 'Acme Inc');
      assert.equal(updated.rateLimit, 10);
      const patched = await svix.application.patch('acme', { metadata: { plan: 'free' } });
      assert.deepEqual(patched.metadata, { plan: 'free' });

      await svix.application.delete(other.id);
      await assert.rejects(svix.application.get(other.id), (e: unknown) => e instanceof ApiException && e.code === 404);
    });

    it('event types: create, get, list', async (t) => {
      if (!opened) return t.skip('store unavailable');
      const et = await svix.eventType.create({
        name: 'user.signup',
        description: 'A user signed up',
        schemas: { 1: { type: 'object', examples: [{ id: 1 }] } },
      });
      assert.equal(et.name, 'user.signup');
      assert.equal(et.deprecated, false);
      assert.ok(et.createdAt instanceof Date);
      await svix.eventType.create({ name: 'invoice.paid', description: 'Paid' });
      assert.equal((await svix.eventType.get('user.signup')).description, 'A user signed up');
      const list = await svix.eventType.list({ withContent: true });
      assert.deepEqual(list.data.map((e) => e.name).sort(), ['invoice.paid', 'user.signup']);
      await assert.rejects(
        svix.eventType.create({ name: 'user.signup', description: 'again' }),
        (e: unknown) => e instanceof ApiException && e.code === 409,
      );
    });

    it('endpoints: create, get, list, update, secret, headers, delete', async (t) => {
      if (!opened) return t.skip('store unavailable');
      const ep = await svix.endpoint.create('acme', {
        url: 'https://example.com/hook',
        uid: 'main',
        filterTypes: ['user.signup'],
        channels: ['eu'],
        description: 'Main',
        metadata: { a: 'b' },
      });
      assert.match(ep.id, /^ep_/);
      assert.equal(ep.version, 1);
      assert.deepEqual(ep.filterTypes, ['user.signup']);
      assert.deepEqual(ep.channels, ['eu']);
      assert.equal((await svix.endpoint.get('acme', 'main')).id, ep.id);
      assert.equal((await svix.endpoint.list('acme')).data.length, 1);

      const upd = await svix.endpoint.update('acme', ep.id, {
        url: 'https://example.com/hook2',
        filterTypes: ['user.signup', 'invoice.paid'],
        rateLimit: 5,
      });
      assert.equal(upd.url, 'https://example.com/hook2');
      assert.equal(upd.rateLimit, 5);
      assert.equal(upd.channels ?? null, null, 'PUT resets omitted fields');
      const patched = await svix.endpoint.patch('acme', 'main', { description: 'patched' });
      assert.equal(patched.description, 'patched');
      assert.equal(patched.url, 'https://example.com/hook2');

      const secret = await svix.endpoint.getSecret('acme', ep.id);
      assert.match(secret.key, /^whsec_/);
      await svix.endpoint.rotateSecret('acme', ep.id, {});
      const rotated = await svix.endpoint.getSecret('acme', ep.id);
      assert.notEqual(rotated.key, secret.key);
      const chosen = 'whsec_' + Buffer.alloc(24, 7).toString('base64');
      await svix.endpoint.rotateSecret('acme', ep.id, { key: chosen });
      assert.equal((await svix.endpoint.getSecret('acme', ep.id)).key, chosen);

      await svix.endpoint.updateHeaders('acme', ep.id, { headers: { 'X-One': '1', 'X-Two': '2' } });
      await svix.endpoint.patchHeaders('acme', ep.id, {
        headers: { 'X-Two': null as unknown as string, 'X-Three': '3' },
      });
      const headers = await svix.endpoint.getHeaders('acme', ep.id);
      assert.deepEqual(headers.headers, { 'X-One': '1', 'X-Three': '3' });
      assert.deepEqual(headers.sensitive, []);

      const stats = await svix.endpoint.getStats('acme', ep.id);
      assert.deepEqual(Object.keys(stats).sort(), ['canceled', 'fail', 'pending', 'sending', 'success']);

      const tmp = await svix.endpoint.create('acme', { url: 'https://example.com/tmp' });
      await svix.endpoint.delete('acme', tmp.id);
      await assert.rejects(
        svix.endpoint.get('acme', tmp.id),
        (e: unknown) => e instanceof ApiException && e.code === 404,
      );
    });

    it('messages and attempts: create, list, get, listByEndpoint, listByMsg', async (t) => {
      if (!opened) return t.skip('store unavailable');
      const ep = await svix.endpoint.get('acme', 'main');
      const msg = await svix.message.create('acme', {
        eventType: 'user.signup',
        eventId: 'evt-1',
        payload: { user: 42 },
        channels: ['eu'],
        tags: ['t1'],
      });
      assert.match(msg.id, /^msg_/);
      assert.deepEqual(msg.payload, { user: 42 });
      assert.ok(msg.timestamp instanceof Date);
      await assert.rejects(
        svix.message.create('acme', { eventType: 'user.signup', eventId: 'evt-1', payload: {} }),
        (e: unknown) => e instanceof ApiException && e.code === 409,
      );

      const got = await svix.message.get('acme', 'evt-1');
      assert.equal(got.id, msg.id);
      assert.deepEqual(got.payload, { user: 42 });
      assert.deepEqual(got.tags, ['t1']);
      const list = await svix.message.list('acme', { eventTypes: ['user.signup'] });
      assert.deepEqual(
        list.data.map((m) => m.id),
        [msg.id],
      );
      assert.equal((await svix.message.list('acme', { eventTypes: ['invoice.paid'] })).data.length, 0);

      await deliverOnce(opened.store, ep.url);
      const byEndpoint = await svix.messageAttempt.listByEndpoint('acme', ep.id);
      assert.equal(byEndpoint.data.length, 1);
      const attempt = byEndpoint.data[0];
      assert.match(attempt.id, /^atmpt_/);
      assert.equal(attempt.msgId, msg.id);
      assert.equal(attempt.status, MessageStatus.Success);
      assert.equal(attempt.responseStatusCode, 200);
      assert.ok(attempt.timestamp instanceof Date);
      const byMsg = await svix.messageAttempt.listByMsg('acme', 'evt-1', { status: MessageStatus.Success });
      assert.deepEqual(
        byMsg.data.map((a) => a.id),
        [attempt.id],
      );
      assert.equal(
        (await svix.messageAttempt.listByMsg('acme', msg.id, { status: MessageStatus.Fail })).data.length,
        0,
      );
      assert.equal((await svix.messageAttempt.get('acme', msg.id, attempt.id)).id, attempt.id);

      const dests = await svix.messageAttempt.listAttemptedDestinations('acme', msg.id);
      assert.deepEqual(
        dests.data.map((d) => d.id),
        [ep.id],
      );
      const sent = await svix.messageAttempt.listAttemptedMessages('acme', ep.id);
      assert.deepEqual(
        sent.data.map((m) => m.id),
        [msg.id],
      );
      await svix.messageAttempt.resend('acme', msg.id, ep.id);
    });

    it('authentication: app portal access', async (t) => {
      if (!opened) return t.skip('store unavailable');
      const access = await svix.authentication.appPortalAccess('acme', {
        capabilities: [AppPortalCapability.ViewBase],
        sessionId: 'sdk-user',
      });
      assert.match(access.token, /^appsk_/);
      assert.match(access.url, /\/portal\/\?app=app_\w+#key=hrlk_/);
      assert.ok(!access.url.includes(access.token), 'the bearer token stays out of the link');
      const scoped = new Svix(access.token, { serverUrl: svix['requestCtx'].baseUrl, numRetries: 0 });
      assert.equal((await scoped.endpoint.list('acme')).data.length, 1);
      await assert.rejects(scoped.application.list(), (e: unknown) => e instanceof ApiException && e.code === 403);
      await assert.rejects(
        scoped.endpoint.create('acme', { url: 'https://receiver.example/x' }),
        (e: unknown) => e instanceof ApiException && e.code === 403,
      );

      await scoped.authentication.logout();
      await assert.rejects(scoped.endpoint.list('acme'), (e: unknown) => e instanceof ApiException && e.code === 401);
      const second = await svix.authentication.appPortalAccess('acme', { sessionId: 'sdk-user' });
      await svix.authentication.expireAll('acme', { sessionIds: ['sdk-user'] });
      const expired = new Svix(second.token, { serverUrl: svix['requestCtx'].baseUrl, numRetries: 0 });
      await assert.rejects(expired.endpoint.list('acme'), (e: unknown) => e instanceof ApiException && e.code === 401);
    });

    it('background tasks: endpoint.recover, replayMissing, bulkReplay, backgroundTask.get and list', async (t) => {
      if (!opened) return t.skip('store unavailable');
      const store = opened.store;
      const runner = new TaskRunner({ store, logger: pino({ level: 'silent' }), idleMs: 20 });
      runner.start();
      /** The task once the runner finished it. */
      const finished = async (id: string) => {
        let task = await svix.backgroundTask.get(id);
        for (let i = 0; i < 200 && task.status === BackgroundTaskStatus.Running; i++) {
          await new Promise((r) => setTimeout(r, 25));
          task = await svix.backgroundTask.get(id);
        }
        assert.equal(task.status, BackgroundTaskStatus.Finished);
        return task;
      };
      try {
        const ep = await svix.endpoint.create('acme', { url: 'https://receiver.example/recover', uid: 'recover-me' });
        const since = new Date(Date.now() - 60_000);
        await svix.message.create('acme', { eventType: 'user.signup', payload: { n: 1 } });
        await svix.message.create('acme', { eventType: 'user.signup', payload: { n: 2 } });
        await deliverOnce(store, ep.url, true);

        const recovering = await svix.endpoint.recover('acme', ep.id, { since });
        assert.match(recovering.id, /^qtask_[A-Za-z0-9]{27}$/);
        assert.equal(recovering.status, BackgroundTaskStatus.Running);
        assert.equal(recovering.task, BackgroundTaskType.EndpointRecover);
        assert.ok(recovering.updatedAt instanceof Date);
        assert.deepEqual((await finished(recovering.id)).data, { matched: 2, sent: 2, skipped: 0 });

        // The recovered deliveries succeed; a bulk replay of successes sends them once more.
        await deliverOnce(store, ep.url);
        const replaying = await svix.endpoint.bulkReplay('acme', ep.id, {
          since,
          status: MessageStatus.Success,
          eventTypes: ['user.signup'],
        });
        assert.equal(replaying.task, BackgroundTaskType.EndpointBulkReplay);
        assert.deepEqual((await finished(replaying.id)).data, { matched: 2, sent: 2, skipped: 0 });

        // An endpoint that was disabled when a message came has none of it: replay-missing sends it.
        const late = await svix.endpoint.create('acme', { url: 'https://receiver.example/late', disabled: true });
        await svix.message.create('acme', { eventType: 'user.signup', payload: { n: 3 } });
        await svix.endpoint.patch('acme', late.id, { disabled: false });
        const missing = await svix.endpoint.replayMissing('acme', late.id, { since });
        assert.equal(missing.task, BackgroundTaskType.EndpointReplay);
        assert.deepEqual((await finished(missing.id)).data, { matched: 1, sent: 1, skipped: 0 });
        assert.equal((await svix.messageAttempt.listAttemptedMessages('acme', late.id)).data.length, 1);

        const done = await svix.backgroundTask.list({ status: BackgroundTaskStatus.Finished });
        for (const id of [recovering.id, replaying.id, missing.id]) assert.ok(done.data.some((x) => x.id === id));
        const recoveries = await svix.backgroundTask.list({ task: BackgroundTaskType.EndpointRecover });
        assert.deepEqual(
          recoveries.data.map((x) => x.id),
          [recovering.id],
        );
        await assert.rejects(
          svix.backgroundTask.get('qtask_000000000000000000000000000'),
          (e: unknown) => e instanceof ApiException && e.code === 404,
        );
        await assert.rejects(
          svix.endpoint.bulkReplay('acme', ep.id, { since, status: MessageStatus.Sending }),
          (e: unknown) => e instanceof ApiException && e.code === 422,
        );
      } finally {
        await runner.stop();
      }
    });

    it('health', async (t) => {
      if (!opened) return t.skip('store unavailable');
      await svix.health.get();
    });
  });
}
